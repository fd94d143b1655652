package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.testing.IsolatedThread;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@RequiresRoot
class NamespacesTest {

    private static String namespaceOf(String path) throws Exception {
        return Files.readSymbolicLink(Path.of(path)).toString();
    }

    @Test
    void unshareGivesOnlyTheCallingThreadANewNamespace() throws Exception {
        String process = namespaceOf("/proc/self/ns/uts");
        String thread = IsolatedThread.run(linux_h.CLONE_NEWUTS(), () -> namespaceOf("/proc/thread-self/ns/uts"));
        assertNotEquals(process, thread);
        assertEquals(process, namespaceOf("/proc/self/ns/uts"), "the rest of the JVM stays where it was");
    }

    @Test
    void setnsJoinsAnExistingNamespaceByItsProcFile() throws Exception {
        String host = namespaceOf("/proc/self/ns/mnt");
        try (var hostMounts = OwnedFd.open("/proc/self/ns/mnt", linux_h.O_RDONLY(), 0)) {
            String[] seen = IsolatedThread.run(linux_h.CLONE_NEWNS(), () -> {
                String own = namespaceOf("/proc/thread-self/ns/mnt");
                Namespaces.setns(hostMounts, linux_h.CLONE_NEWNS());
                return new String[] {own, namespaceOf("/proc/thread-self/ns/mnt")};
            });
            assertNotEquals(host, seen[0]);
            assertEquals(host, seen[1]);
        }
    }

    @Test
    void aMultithreadedProcessCannotUnshareAUserNamespace() {
        // unshare(2): CLONE_NEWUSER requires a single-threaded caller, and a JVM never is.
        // This is why user namespaces need the clone engine (docs/spawning-from-a-jvm.md).
        var error = assertThrows(SyscallException.class, () -> Namespaces.unshare(linux_h.CLONE_NEWUSER()));
        assertEquals("EINVAL", error.errnoName());
    }
}
