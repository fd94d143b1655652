package dev.canal.engine;

import dev.canal.runtime.rootfs.RootDirectory;
import java.nio.file.Path;
import java.util.List;

public final class ExitStatus {
    public static final int CANAL_FAILED = 125;
    public static final int CANNOT_INVOKE = 126;
    public static final int NOT_FOUND = 127;

    private ExitStatus() {}

    public static int ofFailure(Exception failure, List<String> args, Path rootfs) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("starting its program failed")) {
            return 126;
        } else if (message.contains("executable file not found in $PATH")) {
            return 127;
        } else if (message.contains("no such executable file in the container")) {
            return existsInside(rootfs, args.getFirst()) ? 126 : 127;
        } else {
            return 125;
        }
    }

    private static boolean existsInside(Path rootfs, String program) {
        try {
            RootDirectory root = RootDirectory.open(rootfs.toString());

            boolean var3;
            try {
                var3 = root.exists(program);
            } catch (Throwable var6) {
                if (root != null) {
                    try {
                        root.close();
                    } catch (Throwable var5) {
                        var6.addSuppressed(var5);
                    }
                }

                throw var6;
            }

            if (root != null) {
                root.close();
            }

            return var3;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
