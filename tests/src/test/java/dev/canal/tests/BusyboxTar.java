package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.testing.BusyboxRootfs;
import java.nio.file.Path;

/** A busybox root filesystem as a tar archive, the input of `podman import` and `docker import`. */
final class BusyboxTar {

    private BusyboxTar() {}

    /** Builds the rootfs in {@code directory}/rootfs and returns {@code directory}/busybox.tar of it. */
    static Path create(Path directory) throws Exception {
        Path rootfs = BusyboxRootfs.create(directory.resolve("rootfs"));
        Path tar = directory.resolve("busybox.tar");
        assertEquals(
                0,
                new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
                        .start()
                        .waitFor());
        return tar;
    }
}
