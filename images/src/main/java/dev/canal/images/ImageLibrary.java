package dev.canal.images;

import dev.canal.images.layer.LayerStore;
import dev.canal.images.layer.LayerUsers;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageIndex;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.manifest.Platform;
import dev.canal.images.store.ContentStore;
import dev.canal.images.store.StoreLock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The images of a store: naming them, unpacking their layers, listing, removing and pruning.
 * Import, load and pull all store blobs in the {@link ContentStore} first and end in
 * {@link #register}, which is where an image becomes usable.
 */
public final class ImageLibrary {

    private static final int MAX_INDEX_DEPTH = 4;

    private final ContentStore content;
    private final LayerStore layers;
    private final LayerUsers users;
    private final ImageRecords records;
    private final Platform platform;

    private ImageLibrary(ContentStore content, Platform platform) {
        this.content = content;
        this.layers = LayerStore.open(content);
        this.users = new LayerUsers(content.root());
        this.records = new ImageRecords(content.root());
        this.platform = platform;
    }

    /** The library of the store at {@code root} (created if missing), for linux/amd64. */
    public static ImageLibrary open(Path root) {
        return new ImageLibrary(ContentStore.open(root), Platform.LINUX_AMD64);
    }

    public ContentStore content() {
        return content;
    }

    public LayerStore layers() {
        return layers;
    }

    public LayerUsers users() {
        return users;
    }

    /** The platform images are selected for. */
    public Platform platform() {
        return platform;
    }

    /**
     * Names an image whose manifest or index {@code digest} and every blob it refers to are in
     * the content store: picks the linux/amd64 manifest from an index, checks the config's
     * platform, unpacks each layer not yet unpacked (verifying its diffID), and records the
     * name, replacing what it named before. If anything fails, the layers this call unpacked
     * are removed again and the name is not recorded. A null {@code name} records an image
     * known only by its id (found by {@link #find} with the id, not listed by {@link #list}).
     */
    public Image register(ImageReference name, Digest digest) {
        return registerAll(List.of(new Registration(name, digest))).getFirst();
    }

    /** A name and the manifest or index digest it is to name. */
    public record Registration(ImageReference name, Digest digest) {}

    /**
     * {@link #register} for several images at once, all or nothing: the names are recorded
     * together once every image's layers are unpacked, and on any failure none is recorded and
     * the layers unpacked here are removed. An archive with several images loads this way.
     */
    public List<Image> registerAll(List<Registration> registrations) {
        try (var lock = StoreLock.acquire(content.root())) {
            var unpackedHere = new ArrayList<Digest>();
            var images = new ArrayList<Image>();
            try {
                for (Registration registration : registrations) {
                    images.add(prepare(registration.name(), platformManifest(registration.digest(), 0), unpackedHere));
                }
            } catch (RuntimeException e) {
                unpackedHere.forEach(layers::delete);
                throw e;
            }
            var entries = new ArrayList<>(records.read());
            for (int i = 0; i < images.size(); i++) {
                Image image = images.get(i);
                String name = image.name() == null ? null : image.name().toString();
                entries.removeIf(entry -> Objects.equals(entry.name(), name)
                        && (name != null || entry.config().equals(image.configDigest())));
                entries.add(new ImageRecords.Entry(
                        name,
                        registrations.get(i).digest(),
                        image.manifestDigest(),
                        image.configDigest(),
                        Instant.now().toString()));
            }
            records.write(entries);
            return images;
        }
    }

    /** Reads and checks one image and unpacks its layers, adding those it unpacked to {@code unpackedHere}. */
    private Image prepare(ImageReference name, Digest manifestDigest, List<Digest> unpackedHere) {
        ImageManifest manifest = ImageManifest.parse(content.read(manifestDigest));
        ImageConfig config = ImageConfig.parse(content.read(manifest.config().digest()));
        checkPlatform(manifestDigest, config);
        List<Digest> diffIds = config.rootfs().diffIds();
        if (diffIds.size() != manifest.layers().size()) {
            throw new ImageException("image " + name + ": the manifest has "
                    + manifest.layers().size() + " layers but the config lists " + diffIds.size() + " diffIDs");
        }
        for (int i = 0; i < diffIds.size(); i++) {
            Descriptor layer = manifest.layers().get(i);
            if (!layers.has(diffIds.get(i)) && !content.has(layer.digest())) {
                throw new ImageException("layer blob " + layer.digest() + " is not in the store");
            }
            if (layers.unpack(layer.digest(), diffIds.get(i))) {
                unpackedHere.add(diffIds.get(i));
            }
        }
        return image(name, manifestDigest, manifest.config().digest(), manifest, config);
    }

    /** The manifest for this platform: {@code digest} itself, or chosen from an index (which may nest). */
    private Digest platformManifest(Digest digest, int depth) {
        byte[] document = content.read(digest);
        String mediaType = ManifestJson.mediaTypeOf(document);
        if (MediaTypes.isManifest(mediaType)) {
            return digest;
        }
        if (!MediaTypes.isIndex(mediaType) || depth >= MAX_INDEX_DEPTH) {
            throw new ImageException("blob " + digest + " is " + mediaType + ", not an image manifest or index");
        }
        Descriptor chosen = ImageIndex.parse(document).select(platform);
        if (!content.has(chosen.digest())) {
            throw new ImageException("the " + platform + " manifest " + chosen.digest() + " of index " + digest
                    + " is not in the store");
        }
        return platformManifest(chosen.digest(), depth + 1);
    }

    private void checkPlatform(Digest manifestDigest, ImageConfig config) {
        boolean stated = config.os() != null && config.architecture() != null;
        if (stated && !platform.accepts(config.platform())) {
            throw new ImageException(
                    "image manifest " + manifestDigest + " is for " + config.platform() + ", not " + platform);
        }
    }

    private Image image(
            ImageReference name,
            Digest manifestDigest,
            Digest configDigest,
            ImageManifest manifest,
            ImageConfig config) {
        List<Digest> diffIds = config.rootfs().diffIds();
        return new Image(
                name,
                manifestDigest,
                configDigest,
                manifest,
                config,
                diffIds,
                diffIds.stream().map(layers::directory).toList());
    }

    /**
     * The image a name or id refers to: {@code busybox}, {@code localhost:5000/bb:1.0},
     * {@code name@sha256:...}, a full image id {@code sha256:...} or a unique prefix of its hex
     * digits (at least 4, as {@code docker images} shows 12).
     */
    public Image resolve(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new ImageException("no such image: " + nameOrId));
    }

    /** {@link #resolve}, empty when no image has that name or id: for {@code run}, which then pulls it. */
    public java.util.Optional<Image> find(String nameOrId) {
        List<ImageRecords.Entry> entries = matching(nameOrId, records.read());
        if (entries.isEmpty()) {
            return java.util.Optional.empty();
        }
        ImageRecords.Entry entry = entries.getFirst();
        ImageManifest manifest = ImageManifest.parse(content.read(entry.manifest()));
        ImageConfig config = ImageConfig.parse(content.read(entry.config()));
        return java.util.Optional.of(image(entry.reference(), entry.manifest(), entry.config(), manifest, config));
    }

    /** The entries {@code nameOrId} means: every name of the image for an id, else the one name; none if nothing matches. */
    private static List<ImageRecords.Entry> matching(String nameOrId, List<ImageRecords.Entry> entries) {
        String hex =
                nameOrId.startsWith(Digest.SHA256 + ":") ? nameOrId.substring(Digest.SHA256.length() + 1) : nameOrId;
        if (hex.matches("[0-9a-f]{4,64}")) {
            List<ImageRecords.Entry> byId = entries.stream()
                    .filter(entry -> entry.config().hex().startsWith(hex))
                    .toList();
            if (byId.stream().map(ImageRecords.Entry::config).distinct().count() > 1) {
                throw new ImageException("image id " + nameOrId + " is ambiguous: it begins several image ids");
            }
            if (!byId.isEmpty()) {
                return byId;
            }
        }
        ImageReference wanted = ImageReference.parse(nameOrId);
        return entries.stream()
                .filter(ImageRecords.Entry::named)
                .filter(entry -> entry.name().equals(wanted.toString())
                        || wanted.digest() != null
                                && entry.reference().fullRepository().equals(wanted.fullRepository())
                                && (entry.target().equals(wanted.digest())
                                        || entry.manifest().equals(wanted.digest())))
                .limit(1)
                .toList();
    }

    /**
     * {@code tag}: names the image {@code source} refers to also {@code target}, replacing what
     * {@code target} named before. The new name is registered with what the source's was (an
     * index stays an index), so a push of either sends the same documents.
     */
    public Image tag(String source, ImageReference target) {
        if (target.digest() != null) {
            throw new ImageException("tag " + target + ": a tag cannot name a digest");
        }
        try (var lock = StoreLock.acquire(content.root())) {
            List<ImageRecords.Entry> entries = records.read();
            ImageRecords.Entry from = matching(source, entries).stream()
                    .findFirst()
                    .orElseThrow(() -> new ImageException("no such image: " + source));
            var kept = new ArrayList<>(entries);
            kept.removeIf(entry -> target.toString().equals(entry.name()));
            kept.add(new ImageRecords.Entry(
                    target.toString(),
                    from.target(),
                    from.manifest(),
                    from.config(),
                    Instant.now().toString()));
            records.write(kept);
        }
        return resolve(target.toString());
    }

    /**
     * What a name was registered with: the manifest, or for a multi-platform image the index,
     * which a push sends as it came.
     */
    public Digest registeredDigest(String nameOrId) {
        return matching(nameOrId, records.read()).stream()
                .findFirst()
                .orElseThrow(() -> new ImageException("no such image: " + nameOrId))
                .target();
    }

    /**
     * The names of the images that contain {@code blob}: where it was pulled from or pushed to,
     * so a push to another repository of the same registry can mount it rather than send it.
     */
    public List<ImageReference> namesHolding(Digest blob) {
        return records.read().stream()
                .filter(ImageRecords.Entry::named)
                .filter(entry -> blobsOf(List.of(entry)).contains(blob))
                .map(ImageRecords.Entry::reference)
                .toList();
    }

    /** Every named image, in the order they were registered. */
    public List<ImageSummary> list() {
        var summaries = new ArrayList<ImageSummary>();
        for (ImageRecords.Entry entry :
                records.read().stream().filter(ImageRecords.Entry::named).toList()) {
            ImageConfig config = ImageConfig.parse(content.read(entry.config()));
            long size = config.rootfs().diffIds().stream()
                    .filter(layers::has)
                    .mapToLong(layers::size)
                    .sum();
            summaries.add(new ImageSummary(entry.reference(), entry.config(), config.created(), size));
        }
        return summaries;
    }

    /**
     * {@code rmi}: removes the name, or with an id every name of that image. Blobs no remaining
     * image refers to are deleted; unpacked layers stay until {@link #prune()}, so a container
     * still using them keeps running and a re-import need not unpack again. Returns the removed names.
     */
    public List<ImageReference> remove(String nameOrId) {
        try (var lock = StoreLock.acquire(content.root())) {
            List<ImageRecords.Entry> entries = records.read();
            List<ImageRecords.Entry> removed = matching(nameOrId, entries);
            if (removed.isEmpty()) {
                throw new ImageException("no such image: " + nameOrId);
            }
            List<ImageRecords.Entry> kept =
                    entries.stream().filter(entry -> !removed.contains(entry)).toList();
            records.write(kept);
            Set<Digest> stillUsed = blobsOf(kept);
            blobsOf(removed).stream().filter(blob -> !stillUsed.contains(blob)).forEach(content::delete);
            return removed.stream()
                    .filter(ImageRecords.Entry::named)
                    .map(ImageRecords.Entry::reference)
                    .toList();
        }
    }

    /**
     * Deletes blobs that a failed import or pull {@linkplain dev.canal.images.store.NewBlobs
     * created}, except those a registered image refers to: another import may have stored the
     * same blob at the same time and registered its image since. (One that stored it too but has
     * not registered yet then fails with the blob missing, and leaves the store as it was.)
     */
    public void discard(List<Digest> created) {
        if (created.isEmpty()) {
            return;
        }
        try (var lock = StoreLock.acquire(content.root())) {
            Set<Digest> used = blobsOf(records.read());
            created.stream().filter(blob -> !used.contains(blob)).forEach(content::delete);
        }
    }

    /** Every blob the entries refer to: index, manifest, config and compressed layers. */
    private Set<Digest> blobsOf(List<ImageRecords.Entry> entries) {
        var blobs = new LinkedHashSet<Digest>();
        for (ImageRecords.Entry entry : entries) {
            blobs.add(entry.target());
            blobs.add(entry.manifest());
            blobs.add(entry.config());
            if (content.has(entry.manifest())) {
                ImageManifest.parse(content.read(entry.manifest()))
                        .layers()
                        .forEach(layer -> blobs.add(layer.digest()));
            }
        }
        return blobs;
    }

    /**
     * The images an image prune removes, as moby's ImagesPrune (daemon/images/image_prune.go)
     * picks them: with {@code all}, every image no container uses; without, only the dangling
     * ones, those without a name, as a build step's. An unnamed image another image was built
     * on (its history and layers begin the other's) stays, as moby keeps a parent. Each one
     * {@code selected} accepts (by its config: the filters' creation time and labels) loses all
     * its names and is deleted; blobs no remaining image refers to go. Its unpacked layers stay
     * for {@link #prune()}.
     *
     * @param inUse the ids of the images containers (running or not) were created from
     */
    public List<PrunedImage> pruneImages(boolean all, Set<Digest> inUse, Predicate<ImageConfig> selected) {
        try (var lock = StoreLock.acquire(content.root())) {
            List<ImageRecords.Entry> entries = records.read();
            Map<Digest, List<ImageRecords.Entry>> byId = new LinkedHashMap<>();
            entries.forEach(entry -> byId.computeIfAbsent(entry.config(), id -> new ArrayList<>())
                    .add(entry));
            Map<Digest, ImageConfig> configs = new LinkedHashMap<>();
            byId.keySet().forEach(id -> configs.put(id, ImageConfig.parse(content.read(id))));
            var pruned = new ArrayList<PrunedImage>();
            var removed = new ArrayList<ImageRecords.Entry>();
            for (Map.Entry<Digest, List<ImageRecords.Entry>> image : byId.entrySet()) {
                List<ImageReference> names = image.getValue().stream()
                        .filter(ImageRecords.Entry::named)
                        .map(ImageRecords.Entry::reference)
                        .toList();
                ImageConfig config = configs.get(image.getKey());
                boolean parent = names.isEmpty() && configs.values().stream().anyMatch(other -> builtOn(other, config));
                if ((all || names.isEmpty()) && !parent && !inUse.contains(image.getKey()) && selected.test(config)) {
                    pruned.add(new PrunedImage(names, image.getKey()));
                    removed.addAll(image.getValue());
                }
            }
            List<ImageRecords.Entry> kept =
                    entries.stream().filter(entry -> !removed.contains(entry)).toList();
            records.write(kept);
            Set<Digest> stillUsed = blobsOf(kept);
            blobsOf(removed).stream().filter(blob -> !stillUsed.contains(blob)).forEach(content::delete);
            return pruned;
        }
    }

    /** One image an image prune removed: the names it untagged, then its id. */
    public record PrunedImage(List<ImageReference> untagged, Digest id) {}

    /** Whether {@code child} was built on {@code parent}: its history and layers extend the parent's. */
    private static boolean builtOn(ImageConfig child, ImageConfig parent) {
        List<ImageConfig.History> childSteps = child.history() == null ? List.of() : child.history();
        List<ImageConfig.History> parentSteps = parent.history() == null ? List.of() : parent.history();
        List<Digest> childLayers = child.rootfs().diffIds();
        List<Digest> parentLayers = parent.rootfs().diffIds();
        return !parentSteps.isEmpty()
                && childSteps.size() > parentSteps.size()
                && childSteps.subList(0, parentSteps.size()).equals(parentSteps)
                && childLayers.size() >= parentLayers.size()
                && childLayers.subList(0, parentLayers.size()).equals(parentLayers);
    }

    /**
     * {@code image prune}: deletes the unpacked layers that no image and no container uses.
     * Returns the diffIDs removed.
     */
    public List<Digest> prune() {
        try (var lock = StoreLock.acquire(content.root())) {
            Set<Digest> used = new HashSet<>(users.inUse());
            for (ImageRecords.Entry entry : records.read()) {
                used.addAll(
                        ImageConfig.parse(content.read(entry.config())).rootfs().diffIds());
            }
            List<Digest> unused = layers.list().stream()
                    .filter(diffId -> !used.contains(diffId))
                    .toList();
            unused.forEach(layers::delete);
            return unused;
        }
    }

    /**
     * {@link #prune()}, with the bytes each removed layer held (read before: a layer's size
     * goes with it), the space {@code image prune} reports reclaimed.
     */
    public Map<Digest, Long> pruneLayersSized() {
        var sizes = new LinkedHashMap<Digest, Long>();
        layers.list().forEach(layer -> sizes.put(layer, layers.size(layer)));
        var removed = new LinkedHashMap<Digest, Long>();
        prune().forEach(layer -> removed.put(layer, sizes.getOrDefault(layer, 0L)));
        return removed;
    }
}
