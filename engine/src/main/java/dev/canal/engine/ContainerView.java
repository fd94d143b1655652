package dev.canal.engine;

public record ContainerView(ContainerRecord record, ContainerView.State state) {
    public record State(String status, boolean running, boolean paused, boolean restarting, int pid, int exitCode) {
        static ContainerView.State created() {
            return new ContainerView.State("created", false, false, false, 0, 0);
        }

        static ContainerView.State exited(Integer exitCode) {
            return new ContainerView.State("exited", false, false, false, 0, exitCode == null ? 0 : exitCode);
        }

        static ContainerView.State running(int pid, boolean paused) {
            return new ContainerView.State(paused ? "paused" : "running", true, paused, false, pid, 0);
        }

        static ContainerView.State restarting(Integer exitCode) {
            return new ContainerView.State("restarting", true, false, true, 0, exitCode == null ? 0 : exitCode);
        }
    }
}
