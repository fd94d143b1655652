package dev.canal.runtime.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Option words to mount(2)'s flags, propagation and data, as mount(8) and runc split them; nothing is mounted. */
class MountOptionsTest {

    @Test
    void flagWordsBecomeBitsAndTheRestIsTheFilesystemsData() {
        var options = MountOptions.parse(List.of("nosuid", "strictatime", "mode=755", "size=65536k", "noexec"));
        assertEquals(linux_h.MS_NOSUID() | linux_h.MS_STRICTATIME() | linux_h.MS_NOEXEC(), options.flags());
        assertEquals(0, options.propagation());
        assertEquals("mode=755,size=65536k", options.data());
        assertFalse(options.isBind());
    }

    @Test
    void aLaterWordUndoesAnEarlierOneAsWithMount8() {
        assertEquals(0, MountOptions.parse(List.of("ro", "rw")).flags());
        assertEquals(
                linux_h.MS_RDONLY(), MountOptions.parse(List.of("rw", "ro")).flags());
        assertEquals(
                linux_h.MS_NODEV(),
                MountOptions.parse(List.of("dev", "nodev", "exec")).flags());
    }

    @Test
    void propagationIsKeptApartFromTheFlagsTheKernelWillNotCombineItWith() {
        var options = MountOptions.parse(List.of("rbind", "rslave", "ro"));
        assertEquals(linux_h.MS_BIND() | linux_h.MS_REC() | linux_h.MS_RDONLY(), options.flags());
        assertEquals(linux_h.MS_SLAVE() | linux_h.MS_REC(), options.propagation());
        assertEquals("", options.data());
        assertTrue(options.isBind());
        // The first mount(2) with MS_BIND ignores ro: it takes a remount.
        assertEquals(linux_h.MS_RDONLY(), options.flagsNeedingRemount());
    }

    @Test
    void theLastPropagationWordWins() {
        assertEquals(
                linux_h.MS_PRIVATE(),
                MountOptions.parse(List.of("shared", "private")).propagation());
    }

    @Test
    void noOptionsAtAll() {
        assertEquals(new MountOptions(0, 0, ""), MountOptions.parse(null));
        assertEquals(new MountOptions(0, 0, ""), MountOptions.parse(List.of("defaults")));
    }

    @Test
    void rootfsPropagationWordsAndAnUnknownOne() {
        assertEquals(linux_h.MS_SHARED() | linux_h.MS_REC(), MountOptions.propagation("rshared"));
        assertEquals(linux_h.MS_UNBINDABLE(), MountOptions.propagation("unbindable"));
        var unknown = assertThrows(IllegalArgumentException.class, () -> MountOptions.propagation("sharedish"));
        assertEquals("unknown propagation \"sharedish\"", unknown.getMessage());
    }

    @Test
    void recognizedListsEveryFlagAndPropagationWordSorted() {
        List<String> words = MountOptions.recognized();
        assertEquals(words.stream().sorted().toList(), words);
        assertTrue(words.containsAll(List.of("ro", "rw", "bind", "rbind", "rprivate", "runbindable", "defaults")));
        assertFalse(words.contains("mode=755"));
    }
}
