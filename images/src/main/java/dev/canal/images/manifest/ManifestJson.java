package dev.canal.images.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.canal.images.ImageException;
import dev.canal.images.MediaTypes;
import dev.canal.runtime.json.ReflectiveCreators;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading and writing image documents. Images carry fields Canal does not use (Docker's
 * {@code container_config}, build metadata), so unknown fields are skipped; the documents are
 * stored as the bytes they came as, since their digest is over those exact bytes.
 */
public final class ManifestJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            // Records made by core reflection, not method handles spun per record (start time).
            .addModule(ReflectiveCreators.module())
            .build();

    private ManifestJson() {}

    /** Parses {@code json} as {@code type}; a failure names {@code what} and the JSON path. */
    public static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (DatabindException e) {
            throw new ImageException(what + ": " + e.getOriginalMessage() + " at " + e.getPathReference());
        } catch (JacksonException e) {
            throw new ImageException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Compact JSON for a document Canal writes itself (an imported image's config and manifest). */
    public static byte[] write(Object document) {
        return MAPPER.writeValueAsBytes(document);
    }

    /**
     * The media type of a manifest or index: its {@code mediaType} field, or, where that
     * optional field is absent (OCI documents may omit it), guessed from which list it has.
     */
    public static String mediaTypeOf(byte[] json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new ImageException("manifest is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode mediaType = tree.get("mediaType");
        if (mediaType != null && mediaType.isString()) {
            return mediaType.asString();
        }
        if (tree.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        if (tree.has("layers") || tree.has("config")) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw new ImageException("manifest has no mediaType and neither 'manifests' nor 'layers'");
    }
}
