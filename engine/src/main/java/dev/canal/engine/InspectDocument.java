package dev.canal.engine;

import dev.canal.engine.net.NetworkSettingsDocument;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker inspect CONTAINER}: the Engine API's ContainerInspectResponse, with the fields
 * the docker CLI and common tools read. Fields Canal has no counterpart for (AppArmor, SELinux
 * labels, resolv.conf paths) are present but empty, as dockerd gives them when unused, so
 * templates such as {@code --format '{{.State.Pid}}'} work unchanged.
 */
public final class InspectDocument {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Go's zero time, which dockerd shows for a container that never started or finished. */
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private InspectDocument() {}

    public static ObjectNode of(ContainerView view, Engine engine) {
        ContainerRecord record = view.record();
        ContainerSpec spec = record.specOrDefault();
        ContainerView.State state = view.state();
        List<String> command = record.command();
        // Path is the program and Args the rest, as dockerd splits the command.
        ObjectNode json = JSON.createObjectNode()
                .put("Id", record.id())
                .put("Created", record.created())
                .put("Path", command.isEmpty() ? "" : command.getFirst());
        json.set("Args", array(command.isEmpty() ? List.of() : command.subList(1, command.size())));
        json.putObject("State")
                .put("Status", state.status())
                .put("Running", state.running())
                .put("Paused", state.paused())
                .put("Restarting", state.restarting())
                .put("OOMKilled", record.oomKilled())
                .put("Dead", false)
                .put("Pid", state.pid())
                .put("ExitCode", state.exitCode())
                .put("Error", record.error() == null ? "" : record.error())
                .put("StartedAt", timeOrZero(record.started()))
                .put("FinishedAt", timeOrZero(record.finished()));
        json.put("Image", record.imageId() == null ? "" : record.imageId())
                .put("ResolvConfPath", "")
                .put("HostnamePath", "")
                .put("HostsPath", "")
                .put("LogPath", engine.logPath(record.id()).toString())
                // Docker's names start with a slash, the parent in its old container links.
                .put("Name", "/" + record.name())
                .put("RestartCount", record.restartCount())
                .put("Driver", "overlay")
                .put("Platform", "linux")
                .put("MountLabel", "")
                .put("ProcessLabel", "")
                .put("AppArmorProfile", "");
        json.set("HostConfig", hostConfig(spec));
        json.putObject("GraphDriver")
                .put("Name", "overlay")
                .putObject("Data")
                .put(
                        "MergedDir",
                        engine.directory(record.id()).resolve("merged").toString())
                .put("UpperDir", engine.directory(record.id()).resolve("upper").toString())
                .put("WorkDir", engine.directory(record.id()).resolve("work").toString());
        json.set("Mounts", mounts(spec, engine));
        ObjectNode config = json.putObject("Config")
                .put("Hostname", spec.hostname() == null ? "" : spec.hostname())
                .put("Domainname", "")
                .put("User", spec.user() == null ? "" : spec.user())
                .put("AttachStdin", spec.openStdin())
                .put("AttachStdout", true)
                .put("AttachStderr", true)
                .put("Tty", spec.tty())
                .put("OpenStdin", spec.openStdin())
                .put("StdinOnce", spec.stdinOnce())
                .put("Image", record.image())
                .put("WorkingDir", spec.workingDir() == null ? "" : spec.workingDir());
        config.set("Env", array(spec.env()));
        // null rather than empty, as dockerd shows an unset Cmd or Entrypoint.
        config.set("Cmd", spec.cmd() == null ? null : array(spec.cmd()));
        config.set(
                "Entrypoint",
                spec.entrypoint() != null && !spec.entrypoint().isEmpty() ? array(spec.entrypoint()) : null);
        config.set("Labels", map(spec.labels()));
        if (spec.stopSignal() != null) {
            config.put("StopSignal", spec.stopSignal());
        }
        if (spec.stopTimeout() != null) {
            config.put("StopTimeout", spec.stopTimeout());
        }

        json.set(
                "NetworkSettings",
                NetworkSettingsDocument.of(
                        engine.networks().networksOf(record), engine.networks().endpointsOf(record.id()), state.pid()));
        return json;
    }

    private static ObjectNode hostConfig(ContainerSpec spec) {
        ContainerSpec.HostSettings host = spec.host();
        ObjectNode json = JSON.createObjectNode();
        json.set("Binds", array(host.binds()));
        json.put("NetworkMode", host.network())
                .put("AutoRemove", host.autoRemove())
                .put("Privileged", host.privileged())
                .put("ReadonlyRootfs", host.readOnlyRootfs());
        ResourcesJson.write(json, host.resources());
        json.putObject("RestartPolicy")
                .put("Name", host.restart().name())
                .put("MaximumRetryCount", host.restart().maximumRetryCount());
        json.putObject("LogConfig").put("Type", "json-file").set("Config", map(host.logOptions()));
        json.set("CapAdd", array(host.capAdd()));
        json.set("CapDrop", array(host.capDrop()));
        json.set("Tmpfs", map(host.tmpfs()));
        json.set("PortBindings", NetworkSettingsDocument.portBindings(host.networking()));
        return json;
    }

    /** The Mounts list: a bind's host path, a volume's name and data directory. */
    private static ArrayNode mounts(ContainerSpec spec, Engine engine) {
        ArrayNode mounts = JSON.createArrayNode();
        for (String bind : spec.host().binds()) {
            Volume volume = Volume.parse(bind);
            ObjectNode mount = mounts.addObject();
            if (volume.isVolume()) {
                String source = engine.volumes()
                        .inspect(volume.name())
                        .map(info -> info.mountpoint().toString())
                        .orElse("");
                mount.put("Type", "volume")
                        .put("Name", volume.name())
                        .put("Source", source)
                        .put("Driver", "local");
            } else {
                mount.put("Type", "bind").put("Source", volume.host().toString());
            }
            mount.put("Destination", volume.container())
                    .put("Mode", volume.readOnly() ? "ro" : "")
                    .put("RW", !volume.readOnly())
                    .put("Propagation", volume.isVolume() ? "" : "rprivate");
        }
        return mounts;
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        if (values != null) {
            values.forEach(array::add);
        }
        return array;
    }

    private static ObjectNode map(Map<String, String> values) {
        ObjectNode object = JSON.createObjectNode();
        if (values != null) {
            values.forEach(object::put);
        }
        return object;
    }

    private static String timeOrZero(String time) {
        return time == null ? ZERO_TIME : time;
    }
}
