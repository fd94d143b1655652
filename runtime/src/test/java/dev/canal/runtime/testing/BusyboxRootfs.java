package dev.canal.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A minimal root filesystem built at test time from Debian's busybox-static: /bin/busybox and
 * a symlink per applet, the directories a container expects, and /etc/passwd and /etc/group so
 * {@code id} can name users.
 */
public final class BusyboxRootfs {

    /** Where busybox-static installs the static binary. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxRootfs() {}

    /** Builds the rootfs in {@code directory} (created if missing) and returns it. */
    public static Path create(Path directory) throws IOException, InterruptedException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException(BUSYBOX + " is missing: apt-get install busybox-static");
        }
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
            }
        }
        list.waitFor();
        for (String dir : new String[] {"proc", "sys", "dev", "tmp", "etc", "root", "home/user", "usr/bin"}) {
            Files.createDirectories(directory.resolve(dir));
        }
        Files.writeString(
                directory.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n");
        Files.writeString(directory.resolve("etc/group"), "root:x:0:\nuser:x:1000:\nextra:x:2000:user\n");
        return directory;
    }
}
