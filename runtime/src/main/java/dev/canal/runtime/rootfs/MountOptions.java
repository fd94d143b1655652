package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A mount's option words ({@code "nosuid"}, {@code "ro"}, {@code "mode=755"}) split the way
 * mount(8) and runc split them: words the kernel knows as mount flags become {@code MS_*} bits
 * for mount(2)'s flags argument, propagation words become a separate propagation change (the
 * kernel refuses to combine it with anything else), and all other words are passed to the
 * filesystem as its data string.
 *
 * @param flags       {@code MS_*} bits to set
 * @param propagation {@code MS_SHARED}, {@code MS_SLAVE}, ... with {@code MS_REC}, or 0
 * @param data        the filesystem's own options, comma-separated; empty if none
 */
public record MountOptions(long flags, long propagation, String data) {

    /** The word and the flag it sets (or, for "rw" and friends, the flag it clears). */
    private record Flag(long bits, boolean clears) {}

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("ro", new Flag(linux_h.MS_RDONLY(), false)),
            Map.entry("rw", new Flag(linux_h.MS_RDONLY(), true)),
            Map.entry("nosuid", new Flag(linux_h.MS_NOSUID(), false)),
            Map.entry("suid", new Flag(linux_h.MS_NOSUID(), true)),
            Map.entry("nodev", new Flag(linux_h.MS_NODEV(), false)),
            Map.entry("dev", new Flag(linux_h.MS_NODEV(), true)),
            Map.entry("noexec", new Flag(linux_h.MS_NOEXEC(), false)),
            Map.entry("exec", new Flag(linux_h.MS_NOEXEC(), true)),
            Map.entry("sync", new Flag(linux_h.MS_SYNCHRONOUS(), false)),
            Map.entry("async", new Flag(linux_h.MS_SYNCHRONOUS(), true)),
            Map.entry("dirsync", new Flag(linux_h.MS_DIRSYNC(), false)),
            Map.entry("mand", new Flag(linux_h.MS_MANDLOCK(), false)),
            Map.entry("nomand", new Flag(linux_h.MS_MANDLOCK(), true)),
            Map.entry("noatime", new Flag(linux_h.MS_NOATIME(), false)),
            Map.entry("atime", new Flag(linux_h.MS_NOATIME(), true)),
            Map.entry("nodiratime", new Flag(linux_h.MS_NODIRATIME(), false)),
            Map.entry("diratime", new Flag(linux_h.MS_NODIRATIME(), true)),
            Map.entry("relatime", new Flag(linux_h.MS_RELATIME(), false)),
            Map.entry("norelatime", new Flag(linux_h.MS_RELATIME(), true)),
            Map.entry("strictatime", new Flag(linux_h.MS_STRICTATIME(), false)),
            Map.entry("nostrictatime", new Flag(linux_h.MS_STRICTATIME(), true)),
            Map.entry("lazytime", new Flag(linux_h.MS_LAZYTIME(), false)),
            Map.entry("nolazytime", new Flag(linux_h.MS_LAZYTIME(), true)),
            Map.entry("iversion", new Flag(linux_h.MS_I_VERSION(), false)),
            Map.entry("noiversion", new Flag(linux_h.MS_I_VERSION(), true)),
            Map.entry("silent", new Flag(linux_h.MS_SILENT(), false)),
            Map.entry("loud", new Flag(linux_h.MS_SILENT(), true)),
            Map.entry("remount", new Flag(linux_h.MS_REMOUNT(), false)),
            Map.entry("bind", new Flag(linux_h.MS_BIND(), false)),
            Map.entry("rbind", new Flag(linux_h.MS_BIND() | linux_h.MS_REC(), false)),
            Map.entry("defaults", new Flag(0, false)));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", (long) linux_h.MS_PRIVATE(),
            "rprivate", (long) (linux_h.MS_PRIVATE() | linux_h.MS_REC()),
            "shared", (long) linux_h.MS_SHARED(),
            "rshared", (long) (linux_h.MS_SHARED() | linux_h.MS_REC()),
            "slave", (long) linux_h.MS_SLAVE(),
            "rslave", (long) (linux_h.MS_SLAVE() | linux_h.MS_REC()),
            "unbindable", (long) linux_h.MS_UNBINDABLE(),
            "runbindable", (long) (linux_h.MS_UNBINDABLE() | linux_h.MS_REC()));

    /** Splits {@code options}; null is no options. */
    public static MountOptions parse(List<String> options) {
        long flags = 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        for (String word : options == null ? List.<String>of() : options) {
            Flag flag = FLAGS.get(word);
            Long change = PROPAGATION.get(word);
            if (flag != null) {
                flags = flag.clears() ? flags & ~flag.bits() : flags | flag.bits();
            } else if (change != null) {
                propagation = change;
            } else {
                data.add(word);
            }
        }
        return new MountOptions(flags, propagation, String.join(",", data));
    }

    /**
     * Every word {@link #parse} knows as a mount flag or a propagation, sorted; any other word
     * goes to the filesystem as data.
     */
    public static List<String> recognized() {
        return Stream.concat(FLAGS.keySet().stream(), PROPAGATION.keySet().stream())
                .sorted()
                .toList();
    }

    /** The {@code MS_*} propagation bits for a runtime-spec {@code rootfsPropagation} value. */
    public static long propagation(String word) {
        Long bits = PROPAGATION.get(word);
        if (bits == null) {
            throw new IllegalArgumentException("unknown propagation \"" + word + "\"");
        }
        return bits;
    }

    /** A bind mount: the source is a path, not a device, and {@code type} is ignored. */
    public boolean isBind() {
        return (flags & linux_h.MS_BIND()) != 0;
    }

    /**
     * Flags a bind mount can only get by a second, remounting mount(2) call: the first call
     * with {@code MS_BIND} ignores everything but {@code MS_REC}.
     */
    public long flagsNeedingRemount() {
        return flags & ~(linux_h.MS_BIND() | linux_h.MS_REC() | linux_h.MS_REMOUNT());
    }
}
