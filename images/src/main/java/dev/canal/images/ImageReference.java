package dev.canal.images;

import java.util.regex.Pattern;

/**
 * An image name as people type it, normalized the way Docker does (distribution's
 * {@code reference} package): {@code busybox} is {@code docker.io/library/busybox:latest},
 * {@code localhost:5000/bb:1.0} names a registry on port 5000, {@code name@sha256:...} pins the
 * content.
 *
 * <p>The first component is a registry host only when it looks like one: it contains a dot or
 * a port, or is {@code localhost}. Otherwise the name is on Docker Hub, where single-component
 * names live under {@code library/}.
 *
 * @param registry   host and optional port, {@code docker.io} by default
 * @param repository the path in the registry, e.g. {@code library/busybox}
 * @param tag        the tag, {@code latest} when neither a tag nor a digest was given; null with
 *                   only a digest
 * @param digest     the manifest digest when the name pins one, else null
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";
    public static final String DEFAULT_TAG = "latest";

    // distribution/reference's grammar (reference.go): lowercase components joined by '/',
    // separators '.', '_', '__' or runs of '-'.
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?|\\[[0-9A-Fa-f:]+\\](:[0-9]+)?");

    public ImageReference {
        if (!HOST.matcher(registry).matches()) {
            throw new ImageException(
                    "image name: registry '" + registry + "' is not a host name with an optional port");
        }
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new ImageException("image name: repository '" + repository
                        + "' must be lowercase letters, digits and separators (. _ __ -) between '/'");
            }
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new ImageException(
                    "image name: tag '" + tag + "' must be up to 128 letters, digits, '_', '.' or '-'");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
    }

    /** Parses and normalizes a name such as {@code busybox}, {@code quay.io/a/b:1}, {@code b@sha256:...}. */
    public static ImageReference parse(String name) {
        if (name.isEmpty()) {
            throw new ImageException("image name is empty");
        }
        String rest = name;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        String repository = rest;
        int firstSlash = rest.indexOf('/');
        if (firstSlash >= 0) {
            String first = rest.substring(0, firstSlash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
                repository = rest.substring(firstSlash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        return new ImageReference(registry, repository, tag, digest);
    }

    /** The same repository with another tag and no digest. */
    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    /** The same repository pinned to {@code manifestDigest}, without a tag. */
    public ImageReference withDigest(Digest manifestDigest) {
        return new ImageReference(registry, repository, null, manifestDigest);
    }

    /** {@code registry/repository}, the name without tag or digest. */
    public String fullRepository() {
        return registry + "/" + repository;
    }

    /**
     * The repository as {@code docker images} shows it: Docker Hub's host and its
     * {@code library/} prefix left out ({@code busybox}, {@code someone/tool}, {@code localhost:5000/bb}).
     */
    public String familiarRepository() {
        if (!registry.equals(DOCKER_HUB)) {
            return fullRepository();
        }
        return repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
    }

    /** The name as docker prints it: {@code busybox:latest}, {@code localhost:5000/bb:1.0}, {@code bb@sha256:...}. */
    public String familiarName() {
        return familiarRepository() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** What the registry API takes after {@code /manifests/}: the digest if pinned, else the tag. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    /** The full normalized name: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return fullRepository() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
