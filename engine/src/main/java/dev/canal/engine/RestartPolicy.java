package dev.canal.engine;

import java.util.List;

public record RestartPolicy(String name, int maximumRetryCount) {
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public RestartPolicy {
        name = name != null && !name.isEmpty() ? name : "no";
        if (!List.of("no", "on-failure", "always", "unless-stopped").contains(name)) {
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

    public boolean restartsAfter(int status, int restarts, boolean stoppedByHand) {
        if (stoppedByHand) {
            return false;
        }

        return switch (this.name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> status != 0 && (this.maximumRetryCount == 0 || restarts < this.maximumRetryCount);
            default -> false;
        };
    }

    public boolean restartsWithDaemon(boolean stoppedByHand) {
        return this.name.equals("always") || this.name.equals("unless-stopped") && !stoppedByHand;
    }
}
