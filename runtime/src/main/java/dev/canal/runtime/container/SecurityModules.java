package dev.canal.runtime.container;

import dev.canal.runtime.oci.ProcessConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process.apparmorProfile} and {@code process.selinuxLabel}: Canal does not apply Linux
 * security module labels yet, and says so before anything is created rather than run a
 * container less confined than its config asks. The message says whether the host has the
 * module at all.
 */
final class SecurityModules {

    /** AppArmor's switch (Documentation/admin-guide/LSM/apparmor.rst). */
    private static final Path APPARMOR_ENABLED = Path.of("/sys/module/apparmor/parameters/enabled");
    /** selinuxfs is mounted here when SELinux is enabled (selinux(8)). */
    private static final Path SELINUX_FS = Path.of("/sys/fs/selinux");

    private SecurityModules() {}

    static void requireNoneAsked(ProcessConfig process) {
        if (process == null) {
            return;
        }
        if (isSet(process.apparmorProfile())) {
            throw new ContainerException("process.apparmorProfile: "
                    + (appArmorEnabled()
                            ? "applying AppArmor profiles is not supported yet"
                            : "AppArmor is not enabled on this host"));
        }
        if (isSet(process.selinuxLabel())) {
            throw new ContainerException("process.selinuxLabel: "
                    + (Files.isDirectory(SELINUX_FS)
                            ? "applying SELinux labels is not supported yet"
                            : "SELinux is not enabled on this host"));
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }

    private static boolean appArmorEnabled() {
        try {
            return Files.isReadable(APPARMOR_ENABLED)
                    && Files.readAllLines(APPARMOR_ENABLED).getFirst().startsWith("Y");
        } catch (IOException e) {
            return false;
        }
    }
}
