package dev.canal.runtime.oci;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Marks a {@code Long} that the spec declares {@code uint64}: {@link SpecRecords} reads 0 to
 * 2^64-1 into the 64 bits of a long ({@link JsonInput#uint64}), and this writes them back unsigned.
 *
 * <p>Java has no unsigned long, and Jackson alone refuses 18446744073709551615, which real
 * configs carry: docker and podman write it for an unlimited rlimit ({@code RLIM_INFINITY}).
 * Held as {@code -1L} it is also exactly the value prlimit(2) wants.
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
@JsonSerialize(using = Uint64.Writer.class)
@interface Uint64 {

    final class Writer extends ValueSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator generator, SerializationContext context) {
            generator.writeNumber(Long.toUnsignedString(value));
        }
    }
}
