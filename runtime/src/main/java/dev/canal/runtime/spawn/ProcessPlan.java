package dev.canal.runtime.spawn;

import java.util.List;

/**
 * What the container's first process runs, and as whom: the runtime-spec's {@code process}
 * section, resolved. The executable is already looked up in the container's PATH.
 *
 * @param executable the program's absolute path inside the container
 * @param args       argv, starting with argv[0] as the spec gave it
 * @param env        the environment, {@code NAME=value}
 * @param cwd        the working directory inside the container
 * @param uid        the user id the process runs as
 * @param gid        the group id
 * @param groups     supplementary group ids
 * @param umask      the file mode creation mask, or -1 to inherit
 * @param privileges its capabilities, no_new_privs and seccomp filter
 * @param stdio      standard input, output and error
 * @param console    null, or the terminal it opens, once started, as its controlling terminal
 *                   and standard streams instead ({@code process.terminal}): /dev/pts/0 of the
 *                   container's own devpts, or /dev/console where the container mounts none
 */
public record ProcessPlan(
        String executable,
        List<String> args,
        List<String> env,
        String cwd,
        int uid,
        int gid,
        int[] groups,
        int umask,
        Privileges privileges,
        Stdio stdio,
        String console) {

    /** Whether the process opens a terminal of its own once started. */
    public boolean terminal() {
        return console != null;
    }

    /**
     * This plan with other standard streams and no console of its own: for {@code exec}, whose
     * terminal is a new pty passed in as {@code stdio}.
     */
    public ProcessPlan withStdio(Stdio streams) {
        return new ProcessPlan(executable, args, env, cwd, uid, gid, groups, umask, privileges, streams, null);
    }
}
