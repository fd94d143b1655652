package dev.canal.engine;

import java.util.List;

/**
 * What {@code docker exec} asks for (the Engine API's ExecConfig): the command, extra
 * environment, user, working directory, whether to allocate a terminal, which streams to attach,
 * whether the process gets all capabilities ({@code --privileged}), and the terminal's size at
 * start ([rows, columns], ExecConfig.ConsoleSize, or null).
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
        boolean privileged,
        List<Integer> consoleSize) {

    public ExecSpec {
        // dockerd's own error for an empty Cmd.
        if (cmd == null || cmd.isEmpty()) {
            throw new IllegalArgumentException("No exec command specified");
        }
        cmd = List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        consoleSize = consoleSize != null && consoleSize.size() == 2 ? List.copyOf(consoleSize) : null;
    }
}
