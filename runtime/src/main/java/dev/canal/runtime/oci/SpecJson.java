package dev.canal.runtime.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.canal.runtime.json.ReflectiveCreators;
import java.util.List;
import java.util.Map;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The one Jackson mapper for config.json: strict about types when reading, like Go's
 * encoding/json that runc and podman use, and writing what {@code runc spec} writes.
 */
final class SpecJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            // Go refuses "1000" or 1000.5 for a uid and 1000 for a string. Jackson would quietly
            // convert them; refusing them too reports the mistake instead of running something else.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(
                    LogicalType.Textual,
                    strings -> strings.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Integer,
                    wholeNumbers -> wholeNumbers.setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // The records' copies refuse null elements; failing here instead names the JSON path.
            .withConfigOverride(
                    List.class,
                    lists -> lists.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                            .setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null)))
            .withConfigOverride(
                    Map.class,
                    maps -> maps.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                            .setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null)))
            // Absent stays absent: no nulls and (above) no empty arrays or maps, like omitempty.
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            // Properties in record order, which follows the spec's Go structs.
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // Records made by core reflection, not method handles spun per record (start time).
            .addModule(ReflectiveCreators.module())
            .defaultPrettyPrinter(goIndent())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SpecJson() {}

    /** Go's json.MarshalIndent(v, "", "\t"), which runc uses: tabs, {@code "key": value}, {@code []}. */
    private static PrettyPrinter goIndent() {
        var tabs = new DefaultIndenter("\t", "\n");
        return new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(tabs)
                .withArrayIndenter(tabs);
    }
}
