package dev.canal.engine;

import java.util.List;

/**
 * What {@code docker exec} asks for (the Engine API's ExecConfig): the command, extra
 * environment, user, working directory, whether to allocate a terminal, which streams to attach
 * and whether the process gets all capabilities ({@code --privileged}).
 */
public record ExecSpec(
        List<String> cmd,
        List<String> env,
        String user,
        String workingDir,
        boolean tty,
        boolean attachStdin,
        boolean attachStdout,
        boolean attachStderr,
        boolean privileged) {

    public ExecSpec {
        // dockerd's own error for an empty Cmd.
        if (cmd == null || cmd.isEmpty()) {
            throw new IllegalArgumentException("No exec command specified");
        }
        cmd = List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
    }
}
