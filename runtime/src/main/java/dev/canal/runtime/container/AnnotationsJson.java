package dev.canal.runtime.container;

import java.util.Map;
import tools.jackson.core.JsonGenerator;

/** A container's annotations as {@code state.json} and the state JSON write them: an object of strings, or null. */
final class AnnotationsJson {

    private AnnotationsJson() {}

    static void write(JsonGenerator json, Map<String, String> annotations) {
        json.writeName("annotations");
        if (annotations == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        for (var entry : annotations.entrySet()) {
            json.writeStringProperty(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }
}
