package dev.canal.images;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:hex}, as the OCI image spec defines it (descriptor.md,
 * "Digests"): the name of everything in the content store. {@code sha256} is what every image
 * uses today; {@code sha512} is registered by the spec and accepted when parsing.
 */
public record Digest(String algorithm, String hex) {

    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]+");

    public Digest {
        int length = switch (algorithm) {
            case SHA256 -> 64;
            case SHA512 -> 128;
            default -> throw new ImageException("digest algorithm " + algorithm + " is not supported (sha256, sha512)");
        };
        if (hex.length() != length || !LOWER_HEX.matcher(hex).matches()) {
            throw new ImageException("digest " + algorithm + ":" + hex + " is not " + length + " lowercase hex digits");
        }
    }

    /** Parses {@code sha256:<64 hex digits>}; JSON documents hold digests as such strings. */
    @JsonCreator
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new ImageException("digest " + text + " has no algorithm (expected sha256:<hex>)");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The sha256 digest of {@code content}. */
    public static Digest of(byte[] content) {
        return fromHash(SHA256, newHash(SHA256).digest(content));
    }

    /** A fresh {@link MessageDigest} for {@code algorithm}, to digest content as it streams past. */
    public static MessageDigest newHash(String algorithm) {
        try {
            return MessageDigest.getInstance(SHA256.equals(algorithm) ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256 and SHA-512", e);
        }
    }

    /** The digest a finished {@link MessageDigest} computed. */
    public static Digest fromHash(String algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** The first 12 hex digits, as {@code docker images} shows an image id. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    /**
     * As a record's own equals compares: written out because the generated one is linked through
     * invokedynamic ({@code java.lang.runtime.ObjectMethods}), which the AOT cache does not keep,
     * so every {@code canal run} spun 7 method handle forms to check a blob's digest
     * (docs/start-time.md).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Digest that && algorithm.equals(that.algorithm) && hex.equals(that.hex);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + hex.hashCode();
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
