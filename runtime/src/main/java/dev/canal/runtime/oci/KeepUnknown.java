package dev.canal.runtime.oci;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code Map<String, Object>} record component that collects the JSON properties a
 * record does not name, and writes them back out after the named ones.
 *
 * <p>config.md#extensibility says runtimes must ignore unknown properties, not reject them; keeping them as
 * well means a newer spec's fields, or an engine's own extensions, survive when Canal rewrites a
 * config. {@link SpecRecords} fills it when reading; for writing it is Jackson's any-getter,
 * which Jackson 3 accepts on a record component.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
    ElementType.RECORD_COMPONENT,
    ElementType.PARAMETER,
    ElementType.FIELD,
    ElementType.METHOD,
    ElementType.ANNOTATION_TYPE
})
@JacksonAnnotationsInside
@JsonAnyGetter
@interface KeepUnknown {}
