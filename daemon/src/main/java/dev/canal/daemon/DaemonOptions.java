package dev.canal.daemon;

import dev.canal.engine.net.AddressPools;
import dev.canal.engine.net.BridgeDefaults;
import dev.canal.runtime.net.IpPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * canald's command line. The flags and their defaults are dockerd's (dockerd(8)), so that what an
 * administrator knows of one works on the other: {@code -H unix:///run/canal/canal.sock},
 * {@code --data-root /var/lib/canal}, {@code --exec-root /run/canal}, {@code --live-restore},
 * {@code -b} and {@code --bip} for the default bridge, {@code --default-address-pool}. A flag's value is the next argument or
 * follows an '=', as Go's flag package accepts.
 */
record DaemonOptions(
        Path socket,
        Path dataRoot,
        Path execRoot,
        boolean liveRestore,
        Path pidFile,
        String group,
        BridgeDefaults bridge) {
    static final String USAGE = """
            Usage: canald [OPTIONS]

            The Docker Engine API over Canal's engine, on a unix socket.

            Options:
              -H, --host unix://PATH    the socket (default unix:///run/canal/canal.sock)
                  --data-root DIR       images, containers, volumes (default /var/lib/canal)
                  --exec-root DIR       running containers' state (default /run/canal)
                  --live-restore        leave containers running when canald stops
                  --pidfile FILE        write canald's pid there (default EXEC-ROOT/canald.pid)
              -G, --group NAME          the socket's group, if it exists (default canal)
              -b, --bridge NAME|none    the default bridge network's interface, or none for no
                                        default network (default canal0; dockerd's is docker0)
                  --bip CIDR            the default bridge's address and subnet (default 172.17.0.1/16,
                                        or the first subnet of the first address pool)
                  --default-address-pool base=CIDR,size=N
                                        subnets of N bits from CIDR for networks created without
                                        --subnet; repeatable (default dockerd's: 172.17.0.0/16 to
                                        172.31.0.0/16, then 192.168.0.0/16 in /20s)
              -h, --help                this help
            """;

    static DaemonOptions parse(List<String> args) {
        Path socket = Path.of("/run/canal/canal.sock");
        Path dataRoot = Path.of("/var/lib/canal");
        Path execRoot = Path.of("/run/canal");
        boolean liveRestore = false;
        Path pidFile = null;
        String group = "canal";
        String bridge = BridgeDefaults.DEFAULT_BRIDGE;
        String bip = null;
        var pools = new ArrayList<AddressPools.Pool>();

        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = arg.contains("=");
            switch (name) {
                case "-H":
                case "--host": {
                    String value = inline ? arg.substring(arg.indexOf('=') + 1) : value(args, ++i, name);
                    // dockerd also listens on tcp:// and fd://; a unix socket's mode is its access control.
                    if (!value.startsWith("unix://") || value.length() <= "unix://".length()) {
                        throw new IllegalArgumentException(
                                name + " " + value + ": canald listens on a unix socket only: unix:///PATH");
                    }

                    socket = Path.of(value.substring("unix://".length()));
                    break;
                }
                case "--data-root":
                    dataRoot = Path.of(inline ? arg.substring(arg.indexOf('=') + 1) : value(args, ++i, name));
                    break;
                case "--exec-root":
                    execRoot = Path.of(inline ? arg.substring(arg.indexOf('=') + 1) : value(args, ++i, name));
                    break;
                case "--pidfile":
                case "-p":
                    pidFile = Path.of(inline ? arg.substring(arg.indexOf('=') + 1) : value(args, ++i, name));
                    break;
                case "-G":
                case "--group":
                    group = inline ? arg.substring(arg.indexOf('=') + 1) : value(args, ++i, name);
                    break;
                case "-b":
                case "--bridge":
                    bridge = inline ? arg.substring(arg.indexOf('=') + 1) : value(args, ++i, name);
                    break;
                case "--bip":
                    bip = inline ? arg.substring(arg.indexOf('=') + 1) : value(args, ++i, name);
                    break;
                case "--default-address-pool":
                    pools.add(
                            AddressPools.parse(inline ? arg.substring(arg.indexOf('=') + 1) : value(args, ++i, name)));
                    break;
                case "--live-restore":
                    liveRestore = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown flag: " + arg + " (see canald --help)");
            }
        }

        for (Path path : List.of(socket, dataRoot, execRoot)) {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException(path + ": must be an absolute path");
            }
        }

        AddressPools addressPools = pools.isEmpty() ? AddressPools.DOCKER : new AddressPools(pools);
        return new DaemonOptions(
                socket,
                dataRoot,
                execRoot,
                liveRestore,
                pidFile != null ? pidFile : execRoot.resolve("canald.pid"),
                group,
                new BridgeDefaults(
                        bridge.equals("none") ? null : bridge,
                        bip != null ? IpPrefix.parse("--bip", bip) : addressPools.firstGateway(),
                        addressPools));
    }

    private static String value(List<String> args, int index, String name) {
        if (index >= args.size()) {
            throw new IllegalArgumentException("flag needs an argument: " + name);
        }
        return args.get(index);
    }
}
