package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The part every per-container command shares: the global options and the container id. */
abstract class ContainerId {

    @ParentCommand
    CanalOciCommand global;

    @Parameters(index = "0", paramLabel = "CONTAINER_ID", description = "The container's id.")
    String id;

    /** The existing container named on the command line. */
    Container container() {
        return global.containers().load(id);
    }
}
