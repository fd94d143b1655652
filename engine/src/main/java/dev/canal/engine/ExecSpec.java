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
        boolean privileged) {
    public ExecSpec(
            List<String> cmd,
            List<String> env,
            String user,
            String workingDir,
            boolean tty,
            boolean attachStdin,
            boolean attachStdout,
            boolean attachStderr,
            boolean privileged) {
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
        } else {
            throw new IllegalArgumentException("No exec command specified");
        }
    }
}
