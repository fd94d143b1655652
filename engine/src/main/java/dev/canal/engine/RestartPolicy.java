package dev.canal.engine;

import java.util.List;

/**
 * {@code --restart}, as docker run(1) and the Engine API's RestartPolicy define it:
 * <ul>
 *   <li>{@code no}: never restart (the default);
 *   <li>{@code on-failure[:N]}: restart after a non-zero exit, at most N times if N is given;
 *   <li>{@code always}: restart after any exit; after a daemon restart, start it again even if
 *       it had been stopped by hand;
 *   <li>{@code unless-stopped}: like always, except that a container stopped by hand stays
 *       stopped across daemon restarts.
 * </ul>
 * A container stopped by hand ({@code docker stop}, {@code docker kill} with SIGKILL, a forced
 * {@code docker rm}) is never restarted by
 * its policy until it is started again. The delays between restarts are {@link Engine}'s concern.
 */
public record RestartPolicy(String name, int maximumRetryCount) {

    private static final List<String> NAMES = List.of("no", "on-failure", "always", "unless-stopped");

    // After NAMES: the constructor that builds it checks names against that list.
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public RestartPolicy {
        // The API sends an empty Name for "no policy".
        name = name == null || name.isEmpty() ? "no" : name;
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "invalid restart policy \"" + name + "\": use no, on-failure[:N], always or unless-stopped");
        }
        if (maximumRetryCount < 0) {
            throw new IllegalArgumentException("invalid restart policy: the maximum retry count must not be negative");
        }
        if (maximumRetryCount > 0 && !name.equals("on-failure")) {
            throw new IllegalArgumentException(
                    "invalid restart policy: a maximum retry count can only be used with on-failure");
        }
    }

    /** Parses the command line's {@code NAME[:N]}. */
    public static RestartPolicy parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new RestartPolicy(text, 0);
        }
        try {
            return new RestartPolicy(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid restart policy \"" + text + "\": the count must be a number");
        }
    }

    /**
     * Whether a container that exited with {@code status}, after {@code restarts} restarts so
     * far, is started again. A count of 0 with on-failure means no limit.
     */
    public boolean restartsAfter(int status, int restarts, boolean stoppedByHand) {
        if (stoppedByHand) {
            return false;
        }
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> status != 0 && (maximumRetryCount == 0 || restarts < maximumRetryCount);
            default -> false;
        };
    }

    /** Whether a daemon that starts again starts this container, which had been running. */
    public boolean restartsWithDaemon(boolean stoppedByHand) {
        return name.equals("always") || name.equals("unless-stopped") && !stoppedByHand;
    }
}
