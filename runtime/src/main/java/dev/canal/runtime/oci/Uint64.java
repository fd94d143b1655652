package dev.canal.runtime.oci;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigInteger;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Marks a {@code Long} that the spec declares {@code uint64}: it reads 0 to 2^64-1 into the 64
 * bits of a long and writes them back unsigned.
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
@JsonDeserialize(using = Uint64.Reader.class)
@JsonSerialize(using = Uint64.Writer.class)
@interface Uint64 {

    final class Reader extends ValueDeserializer<Long> {

        private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(64);

        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_NUMBER_INT)) {
                return (Long) context.handleUnexpectedToken(Long.class, parser);
            }
            BigInteger value = parser.getBigIntegerValue();
            if (value.signum() < 0 || value.compareTo(LIMIT) >= 0) {
                return (Long) context.handleWeirdNumberValue(Long.class, value, "not a uint64");
            }
            return value.longValue();
        }
    }

    final class Writer extends ValueSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator generator, SerializationContext context) {
            generator.writeNumber(Long.toUnsignedString(value));
        }
    }
}
