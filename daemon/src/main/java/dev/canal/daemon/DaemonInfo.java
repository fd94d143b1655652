package dev.canal.daemon;

import java.nio.file.Path;
import java.time.Instant;

record DaemonInfo(String id, Path dataRoot, Path execRoot, boolean liveRestore, Instant started) {
    static final String VERSION = "0.1.0";
}
