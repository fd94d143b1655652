package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.testing.IsolatedThread;
import dev.canal.runtime.testing.MountTable;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresRoot
class MountsTest {

    @TempDir
    Path dir;

    @Test
    void mountsAndUnmountsATmpfsThatTheHostNeverSees() throws Exception {
        List<String> hostBefore = MountTable.current();
        String target = dir.toString();
        List<String> inside = IsolatedThread.inPrivateMountNamespace(() -> {
            Mounts.mount("canal-test", target, "tmpfs", linux_h.MS_NOSUID() | linux_h.MS_NODEV(), "size=1m,mode=0755");
            Files.writeString(dir.resolve("marker"), "on tmpfs");
            List<String> mounted = MountTable.current();
            Mounts.unmount(target, 0);
            assertFalse(Files.exists(dir.resolve("marker")), "the file lived on the tmpfs");
            return mounted;
        });
        assertTrue(inside.contains(target + " tmpfs"), inside.toString());
        assertEquals(hostBefore, MountTable.current(), "the host's mount table is untouched");
    }

    @Test
    void unmountingWhatIsNotAMountPointIsEINVAL() {
        var error = assertThrows(SyscallException.class, () -> Mounts.unmount(dir.toString(), 0));
        assertEquals("EINVAL", error.errnoName());
        assertEquals("umount2(" + dir + "): EINVAL (Invalid argument)", error.getMessage());
    }

    @Test
    void anUnknownFilesystemTypeIsNamedInTheError() throws Exception {
        var error = assertThrows(
                SyscallException.class,
                () -> IsolatedThread.inPrivateMountNamespace(() -> {
                    Mounts.mount("none", dir.toString(), "canalfs", 0, null);
                    return null;
                }));
        assertEquals("mount(" + dir + ", canalfs): ENODEV (No such device)", error.getMessage());
    }

    @Test
    void pivotRootSwapsTheRootAndTheOldOneCanBeDetached() throws Exception {
        String newRoot = dir.toString();
        List<String> rootAfterPivot = IsolatedThread.inPrivateMountNamespace(() -> {
            Mounts.mount("canal-root", newRoot, "tmpfs", 0, "size=1m");
            Files.createDirectory(dir.resolve("old-root"));
            Files.writeString(dir.resolve("only-in-new-root"), "");
            Mounts.pivotRoot(newRoot, newRoot + "/old-root");
            Mounts.unmount("/old-root", linux_h.MNT_DETACH());
            try (var listing = Files.list(Path.of("/"))) {
                return listing.map(Path::toString).sorted().toList();
            }
        });
        assertEquals(List.of("/old-root", "/only-in-new-root"), rootAfterPivot);
    }

    @Test
    void theFileDescriptorMountApiBuildsAMountAndAttachesItLast() throws Exception {
        String target = dir.toString();
        List<String> mounted = IsolatedThread.inPrivateMountNamespace(() -> {
            try (var context = Mounts.fsopen("tmpfs")) {
                Mounts.fsconfigString(context, "size", "1m");
                Mounts.fsconfigCreate(context);
                try (var mount = Mounts.fsmount(context, linux_h.MOUNT_ATTR_NODEV())) {
                    Mounts.moveMount(mount, target);
                }
            }
            return MountTable.current();
        });
        assertTrue(mounted.contains(target + " tmpfs"), mounted.toString());
    }

    @Test
    void fsconfigNamesTheRejectedOption() throws Exception {
        var error = assertThrows(
                SyscallException.class,
                () -> IsolatedThread.inPrivateMountNamespace(() -> {
                    try (var context = Mounts.fsopen("tmpfs")) {
                        Mounts.fsconfigString(context, "canal-no-such-option", "1");
                    }
                    return null;
                }));
        assertEquals("fsconfig(canal-no-such-option=1): EINVAL (Invalid argument)", error.getMessage());
    }
}
