package dev.canal.runtime.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one Jackson mapper for config.json: it writes what {@code runc spec} writes. Reading is
 * {@link SpecReader}'s, on the streaming parser; this mapper reads only trees
 * ({@link DefaultSpec} edits runc's example as one).
 */
final class SpecJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .withConfigOverride(
                    List.class,
                    lists -> lists.setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null)))
            .withConfigOverride(
                    Map.class,
                    maps -> maps.setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null)))
            // Absent stays absent: no nulls and (above) no empty arrays or maps, like omitempty.
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            // Properties in record order, which follows the spec's Go structs.
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
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
