package dev.canal.cli.oci;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code state}: the runtime-spec's state JSON, with runc's rootfs, created and owner. */
@Command(name = "state", description = "Print the state of a container as JSON.")
final class StateCommand extends ContainerId implements Callable<Integer> {

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Override
    public Integer call() {
        System.out.println(JSON.writeValueAsString(container().state()));
        return 0;
    }
}
