package dev.canal.runtime.container;

import dev.canal.runtime.ns.NamespaceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which {@code linux.sysctl} keys a container may set: only those that live in a namespace the
 * config gives it, as runc's validator allows them (libcontainer/configs/validate, sysctl).
 * Most of /proc/sys is global: the setup thread has joined the container's namespaces, but a
 * write to {@code vm.swappiness} still changes the host's, and {@code kernel.domainname}
 * without a uts namespace of the container's renames the runtime's own. So each key is checked
 * before anything is created, with runc's messages.
 *
 * <p>Newer runc also allows {@code user.*} in a user namespace. Canal does not (runc 1.1 did
 * not either): those limits belong to the user namespace of whoever writes them, and the setup
 * thread that writes sysctls stays in the runtime's.
 */
final class SysctlNamespaces {

    /** The IPC namespace's own (ipc_namespaces(7)); {@code fs.mqueue.*} are too (mq_overview(7)). */
    private static final Set<String> IPC = Set.of(
            "kernel.msgmax",
            "kernel.msgmnb",
            "kernel.msgmni",
            "kernel.sem",
            "kernel.shmall",
            "kernel.shmmax",
            "kernel.shmmni",
            "kernel.shm_rmid_forced");

    /** The runtime's own network namespace, "host" in runc's words: not necessarily the initial one. */
    private static final Path RUNTIME_NETWORK = Path.of("/proc/self/ns/net");

    private SysctlNamespaces() {}

    /**
     * Throws a {@link ContainerException} naming the first key, in the config's order, that no
     * namespace of {@code created} or {@code joined} holds.
     */
    static void requireNamespaced(
            Map<String, String> sysctl, List<NamespaceType> created, Map<NamespaceType, String> joined) {
        for (String key : sysctl.keySet()) {
            String problem = problem(dotted(key), created, joined);
            if (problem != null) {
                throw new ContainerException(
                        "linux.sysctl[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]: " + problem);
            }
        }
    }

    /** What is wrong with setting {@code name}, in runc's words; null if nothing. */
    private static String problem(String name, List<NamespaceType> created, Map<NamespaceType, String> joined) {
        String quoted = "\"" + name + "\"";
        if (IPC.contains(name) || name.startsWith("fs.mqueue.")) {
            return has(NamespaceType.IPC, created, joined)
                    ? null
                    : "sysctl " + quoted + " is not allowed in the hosts ipc namespace";
        }
        if (name.startsWith("net.")) {
            boolean runtimes = !has(NamespaceType.NETWORK, created, joined)
                    || (joined.containsKey(NamespaceType.NETWORK)
                            && isRuntimesNetworkNamespace(joined.get(NamespaceType.NETWORK)));
            return runtimes ? "sysctl " + quoted + " not allowed in host network namespace" : null;
        }
        if (has(NamespaceType.UTS, created, joined)) {
            if (name.equals("kernel.domainname")) {
                return null;
            }
            if (name.equals("kernel.hostname")) {
                return "sysctl " + quoted + " is not allowed as it conflicts with the OCI \"hostname\" field";
            }
        }
        return "sysctl " + quoted + " is not in a separate kernel namespace";
    }

    private static boolean has(NamespaceType type, List<NamespaceType> created, Map<NamespaceType, String> joined) {
        return created.contains(type) || joined.containsKey(type);
    }

    /** Whether the namespace file at {@code path} is the runtime's own: the same inode (namespaces(7)). */
    private static boolean isRuntimesNetworkNamespace(String path) {
        try {
            return Files.isSameFile(Path.of(path), RUNTIME_NETWORK);
        } catch (IOException e) {
            throw new ContainerException("linux.namespaces: invalid netns path: " + path + ": " + e.getMessage());
        }
    }

    /**
     * sysctl(8) accepts "net/ipv4/ip_forward" as well as "net.ipv4.ip_forward"; in the slash form
     * a dot is part of a name ("net/ipv4/conf/eth0.100/rp_filter"), so the two are swapped, as
     * runc's convertSysctlVariableToDotsSeparator does (sysctl.d(5)).
     */
    private static String dotted(String key) {
        int separator = indexOfEither(key);
        if (separator < 0 || key.charAt(separator) == '.') {
            return key;
        }
        StringBuilder swapped = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            swapped.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return swapped.toString();
    }

    private static int indexOfEither(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == '.' || key.charAt(i) == '/') {
                return i;
            }
        }
        return -1;
    }
}
