package dev.canal.cli.oci;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code state}: the runtime-spec's state JSON, with runc's rootfs, created and owner. A query
 * (runtime.md#query-state), answered without the container's lock, as runc answers it: it does
 * not wait behind a start or a delete, and it reports what it finds, stopped or gone for a
 * container that a delete is removing meanwhile. Without the lock it needs no downcall at all,
 * which is most of what a new JVM would otherwise spin for it (docs/start-time.md).
 */
@Command(name = "state", description = "Print the state of a container as JSON.")
final class StateCommand extends ContainerId implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println(StateJson.of(container().state()));
        return 0;
    }
}
