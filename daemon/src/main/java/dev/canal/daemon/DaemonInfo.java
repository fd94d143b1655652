package dev.canal.daemon;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What {@code GET /info} and {@code GET /version} say about this canald: its id (kept in the data
 * root, so it survives restarts as dockerd's does), its directories, and when it started.
 */
record DaemonInfo(String id, Path dataRoot, Path execRoot, boolean liveRestore, Instant started) {
    /** The engine's version, which {@code docker version} prints as the server's. */
    static final String VERSION = "0.1.0";
}
