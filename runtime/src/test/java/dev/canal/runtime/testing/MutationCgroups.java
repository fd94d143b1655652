package dev.canal.runtime.testing;

import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cgroups a mutated config's container may leave, for the mutation tests: its own (where
 * Canal resolves its cgroup path, in every hierarchy), and any under the seeds' parent
 * ({@link MutationSeeds#CGROUP_PARENT}) or named {@code /canal/mutation-*}. Other cgroups are
 * other tests' and benchmarks' on this shared machine, and may come and go meanwhile.
 */
public final class MutationCgroups {

    /** What the mutation tests start their container ids with. */
    public static final String ID_PREFIX = "mutation-";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MutationCgroups() {}

    /** Every cgroup directory there is now, to tell later whether a parent was there before. */
    public static Set<String> existing() {
        var found = new TreeSet<String>();
        for (Path hierarchy : hierarchies()) {
            try {
                Files.walkFileTree(hierarchy, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                        found.add(directory.toString());
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException gone) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /**
     * What container {@code id} of {@code variant} left, given the cgroups there were
     * {@code before}: its cgroup in any hierarchy, and any other mutation cgroup that is new.
     * The parents its cgroup path names may stay (runc leaves them too, and Canal its /canal);
     * those that are new are removed here, for the next variant.
     */
    public static List<String> leftBy(ConfigMutator.Variant variant, String id, Set<String> before) {
        List<String> left = new ArrayList<>();
        String cgroup = cgroupOf(variant, id);
        for (Path hierarchy : hierarchies()) {
            if (cgroup != null) {
                if (Files.exists(CgroupPath.in(hierarchy, cgroup))) {
                    left.add("cgroup " + CgroupPath.in(hierarchy, cgroup));
                }
                for (int slash = cgroup.lastIndexOf('/'); slash > 0; slash = cgroup.lastIndexOf('/', slash - 1)) {
                    Path parent = CgroupPath.in(hierarchy, cgroup.substring(0, slash));
                    if (!before.contains(parent.toString())) {
                        try {
                            Files.deleteIfExists(parent);
                        } catch (IOException inUse) {
                            left.add("cgroup " + parent + " (not empty)");
                        }
                    }
                }
            }
            for (String directory : mutationCgroups(hierarchy)) {
                if (!before.contains(directory)) {
                    left.add("cgroup " + directory);
                }
            }
        }
        return left;
    }

    /** The cgroup of the variant's container, as Canal resolves it; null when it has none. */
    private static String cgroupOf(ConfigMutator.Variant variant, String id) {
        try {
            JsonNode path = JSON.readTree(variant.json()).path("linux").path("cgroupsPath");
            return CgroupPath.resolve(path.isString() ? path.asString() : null, id);
        } catch (RuntimeException noCgroup) {
            return null;
        }
    }

    /** The mount point of each cgroup hierarchy: /sys/fs/cgroup/memory, ..., or /sys/fs/cgroup alone. */
    private static List<Path> hierarchies() {
        CgroupLayout layout = CgroupLayout.detect();
        var mounts = new TreeSet<Path>(layout.v1Mounts().values());
        layout.unifiedMount().ifPresent(mounts::add);
        return List.copyOf(mounts);
    }

    /** The cgroups in {@code hierarchy} that only the mutation tests make. */
    private static Set<String> mutationCgroups(Path hierarchy) {
        var found = new TreeSet<String>();
        Path canal = CgroupPath.in(hierarchy, CgroupPath.DEFAULT_PARENT);
        Path seeds = CgroupPath.in(hierarchy, MutationSeeds.CGROUP_PARENT);
        try (Stream<Path> mine = Files.isDirectory(canal) ? Files.list(canal) : Stream.empty();
                Stream<Path> seedCgroups = Files.isDirectory(seeds) ? Files.walk(seeds) : Stream.empty()) {
            mine.filter(path -> path.getFileName().toString().startsWith(ID_PREFIX))
                    .forEach(path -> found.add(path.toString()));
            seedCgroups.filter(Files::isDirectory).forEach(path -> found.add(path.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
