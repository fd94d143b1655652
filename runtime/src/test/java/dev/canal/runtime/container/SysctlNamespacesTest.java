package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.runtime.ns.NamespaceType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** runc's rules for linux.sysctl, one per kind of key, without creating anything. */
class SysctlNamespacesTest {

    private static final List<NamespaceType> NONE = List.of();

    private static String refusal(String key, List<NamespaceType> created, Map<NamespaceType, String> joined) {
        return assertThrows(
                        ContainerException.class,
                        () -> SysctlNamespaces.requireNamespaced(Map.of(key, "1"), created, joined))
                .getMessage();
    }

    private static void allowed(String key, List<NamespaceType> created, Map<NamespaceType, String> joined) {
        assertDoesNotThrow(() -> SysctlNamespaces.requireNamespaced(Map.of(key, "1"), created, joined));
    }

    @Test
    void aGlobalSysctlIsRefusedWhateverTheNamespaces() {
        assertEquals(
                "linux.sysctl[\"vm.swappiness\"]: sysctl \"vm.swappiness\" is not in a separate kernel namespace",
                refusal("vm.swappiness", List.of(NamespaceType.values()), Map.of()));
        assertEquals(
                "linux.sysctl[\"kernel/pid_max\"]: sysctl \"kernel.pid_max\" is not in a separate kernel namespace",
                refusal("kernel/pid_max", List.of(NamespaceType.values()), Map.of()));
    }

    @Test
    void ipcSysctlsNeedAnIpcNamespaceNewOrJoined() {
        assertEquals(
                "linux.sysctl[\"kernel.shmmax\"]: sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace",
                refusal("kernel.shmmax", List.of(NamespaceType.UTS, NamespaceType.NETWORK), Map.of()));
        assertEquals(
                "linux.sysctl[\"fs.mqueue.msg_max\"]: sysctl \"fs.mqueue.msg_max\" is not allowed in the hosts ipc"
                        + " namespace",
                refusal("fs.mqueue.msg_max", NONE, Map.of()));
        allowed("kernel.shmmax", List.of(NamespaceType.IPC), Map.of());
        allowed("fs.mqueue.msg_max", NONE, Map.of(NamespaceType.IPC, "/proc/1/ns/ipc"));
    }

    @Test
    void networkSysctlsNeedANetworkNamespaceOtherThanTheRuntimes() {
        String hostMessage = "linux.sysctl[\"net.ipv4.ip_forward\"]: sysctl \"net.ipv4.ip_forward\" not allowed in"
                + " host network namespace";
        assertEquals(hostMessage, refusal("net.ipv4.ip_forward", List.of(NamespaceType.IPC), Map.of()));
        // Joining the runtime's own namespace by path is the host's too.
        assertEquals(
                hostMessage, refusal("net.ipv4.ip_forward", NONE, Map.of(NamespaceType.NETWORK, "/proc/self/ns/net")));
        allowed("net.ipv4.ip_forward", List.of(NamespaceType.NETWORK), Map.of());
        allowed("net/ipv4/conf/eth0.100/rp_filter", List.of(NamespaceType.NETWORK), Map.of());
        var missing = refusal("net.ipv4.ip_forward", NONE, Map.of(NamespaceType.NETWORK, "/nonexistent/ns/net"));
        assertEquals("linux.namespaces: invalid netns path: /nonexistent/ns/net: /nonexistent/ns/net", missing);
    }

    @Test
    void theDomainNameNeedsAUtsNamespaceAndTheHostNameHasAFieldOfItsOwn() {
        assertEquals(
                "linux.sysctl[\"kernel.domainname\"]: sysctl \"kernel.domainname\" is not in a separate kernel"
                        + " namespace",
                refusal("kernel.domainname", List.of(NamespaceType.IPC, NamespaceType.NETWORK), Map.of()));
        allowed("kernel.domainname", List.of(NamespaceType.UTS), Map.of());
        allowed("kernel.domainname", NONE, Map.of(NamespaceType.UTS, "/proc/1/ns/uts"));
        assertEquals(
                "linux.sysctl[\"kernel.hostname\"]: sysctl \"kernel.hostname\" is not allowed as it conflicts with the"
                        + " OCI \"hostname\" field",
                refusal("kernel.hostname", List.of(NamespaceType.UTS), Map.of()));
    }

    @Test
    void userNamespaceLimitsAreRefusedEvenInAUserNamespace() {
        assertEquals(
                "linux.sysctl[\"user.max_user_namespaces\"]: sysctl \"user.max_user_namespaces\" is not in a separate"
                        + " kernel namespace",
                refusal("user.max_user_namespaces", List.of(NamespaceType.USER), Map.of()));
    }
}
