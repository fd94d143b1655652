package dev.canal.engine;

import java.util.List;

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
    public ExecSpec(
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
        if (cmd != null && !cmd.isEmpty()) {
            cmd = List.copyOf(cmd);
            env = env == null ? List.of() : List.copyOf(env);
            this.cmd = cmd;
            this.env = env;
            this.user = user;
            this.workingDir = workingDir;
            this.tty = tty;
            this.attachStdin = attachStdin;
            this.attachStdout = attachStdout;
            this.attachStderr = attachStderr;
            this.privileged = privileged;
            // [rows, columns] of the terminal at start (ExecConfig.ConsoleSize), or null.
            this.consoleSize = consoleSize != null && consoleSize.size() == 2 ? List.copyOf(consoleSize) : null;
        } else {
            throw new IllegalArgumentException("No exec command specified");
        }
    }
}
