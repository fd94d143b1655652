package dev.canal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code --version} text of both front ends, in runc's shape: tools such as podman show
 * the first line, {@code <name> version <version>}.
 */
public final class VersionInfo {

    /** The OCI runtime-spec version Canal's config model follows. */
    public static final String OCI_SPEC_VERSION = "1.2.1";

    private VersionInfo() {}

    /** Canal's own version, from the build. */
    public static String version() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines {@code --version} prints for the program called {@code name}. */
    public static String[] lines(String name) {
        return new String[] {
            name + " version " + version(), "spec: " + OCI_SPEC_VERSION, "java: " + Runtime.version(),
        };
    }

    /** picocli's hook for {@code canal --version}. */
    public static final class Canal implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines("canal");
        }
    }

    /** picocli's hook for {@code canal-oci --version}. */
    public static final class CanalOci implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines("canal-oci");
        }
    }
}
