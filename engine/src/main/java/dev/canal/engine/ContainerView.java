package dev.canal.engine;

/**
 * A container's record together with its live state, as {@code docker ps} and {@code docker
 * inspect} show it. The record on disk says what was configured and how it last ended; whether
 * it runs now is found out when the view is made ({@link Engine#view}).
 */
public record ContainerView(ContainerRecord record, ContainerView.State state) {

    /**
     * The Engine API's container State: its Status is one of "created", "running", "paused",
     * "restarting" or "exited"; a paused or restarting container also counts as running, as in
     * docker.
     */
    public record State(String status, boolean running, boolean paused, boolean restarting, int pid, int exitCode) {

        static State created() {
            return new State("created", false, false, false, 0, 0);
        }

        static State exited(Integer exitCode) {
            return new State("exited", false, false, false, 0, exitCode == null ? 0 : exitCode);
        }

        static State running(int pid, boolean paused) {
            return new State(paused ? "paused" : "running", true, paused, false, pid, 0);
        }

        /** Between an exit and the restart its policy scheduled; ExitCode is the exit's. */
        static State restarting(Integer exitCode) {
            return new State("restarting", true, false, true, 0, exitCode == null ? 0 : exitCode);
        }
    }
}
