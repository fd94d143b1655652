package dev.canal.images.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.images.Digest;
import dev.canal.images.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks a manifest passes before anything it names is fetched. */
class VerifiedManifestTest {

    private static final byte[] OCI_MANIFEST = """
            {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json",\
            "digest":"sha256:ed152ecee81d2e9e6022b3d119141e952e0efa2c06e1eb2105297f5de1708c11","size":412},"layers":[]}""".getBytes(StandardCharsets.UTF_8);
    private static final Digest OTHER = Digest.of("other".getBytes(StandardCharsets.UTF_8));

    @Test
    void aManifestWithoutMediaTypeFieldTakesTheHeadersAndItsDigest() {
        var manifest = VerifiedManifest.check(
                OCI_MANIFEST,
                Optional.of(MediaTypes.OCI_MANIFEST),
                Optional.of(Digest.of(OCI_MANIFEST)),
                Optional.of(Digest.of(OCI_MANIFEST)));
        assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
        assertEquals(Digest.of(OCI_MANIFEST), manifest.digest());
    }

    @Test
    void pulledByDigestTheContentMustHaveThatDigest() {
        var error = assertThrows(
                RegistryException.class,
                () -> VerifiedManifest.check(
                        OCI_MANIFEST, Optional.of(MediaTypes.OCI_MANIFEST), Optional.empty(), Optional.of(OTHER)));
        assertEquals(
                "manifest " + OTHER + " does not match its content, whose digest is " + Digest.of(OCI_MANIFEST),
                error.getMessage());
    }

    @Test
    void theRegistrysStatedDigestMustBeTheContents() {
        var error = assertThrows(
                RegistryException.class,
                () -> VerifiedManifest.check(
                        OCI_MANIFEST, Optional.of(MediaTypes.OCI_MANIFEST), Optional.of(OTHER), Optional.empty()));
        assertEquals(
                "manifest digest mismatch: the registry says " + OTHER
                        + " (Docker-Content-Digest) but the content's digest is " + Digest.of(OCI_MANIFEST),
                error.getMessage());
    }

    @Test
    void aHeaderThatContradictsTheDocumentIsRefused() {
        var error = assertThrows(
                RegistryException.class,
                () -> VerifiedManifest.check(
                        OCI_MANIFEST, Optional.of(MediaTypes.OCI_INDEX), Optional.empty(), Optional.empty()));
        assertEquals(
                "manifest media type mismatch: Content-Type is " + MediaTypes.OCI_INDEX + " but the document says "
                        + MediaTypes.OCI_MANIFEST,
                error.getMessage());
    }

    @Test
    void schema1IsRefusedByName() {
        byte[] schema1 =
                "{\"schemaVersion\":1,\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+prettyjws\"}"
                        .getBytes(StandardCharsets.UTF_8);
        var error = assertThrows(
                RegistryException.class,
                () -> VerifiedManifest.check(
                        schema1,
                        Optional.of("application/vnd.docker.distribution.manifest.v1+prettyjws"),
                        Optional.empty(),
                        Optional.empty()));
        assertEquals(
                "unsupported manifest media type application/vnd.docker.distribution.manifest.v1+prettyjws"
                        + " (Canal reads OCI and Docker schema2 manifests and indexes)",
                error.getMessage());
    }

    @Test
    void aGenericJsonContentTypeDefersToTheDocument() {
        var manifest = VerifiedManifest.check(
                OCI_MANIFEST, Optional.of("application/json; charset=utf-8"), Optional.empty(), Optional.empty());
        assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
    }
}
