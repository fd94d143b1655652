package dev.canal.runtime.seccomp;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which build compiles the filters, for {@link SeccompCache}'s keys: another build may compile
 * the same section to another program, so its entries must not be taken. The jar that holds the
 * compiler (canal.jar) as its path, inode, size and modification time; installing a new jar
 * changes them all. Run from a class directory (the tests, a development build), this package's
 * classes and syscall tables each by name, size and modification time, since a rebuild rewrites
 * files inside the directory without changing the directory itself.
 */
final class CompilerIdentity {

    private CompilerIdentity() {}

    /** Empty when the compiler's code source cannot be read: then nothing may be cached. */
    static Optional<String> of() {
        try {
            Path code = Path.of(SeccompCompiler.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isRegularFile(code)) {
                return Optional.of(code + " " + stat(code));
            }
            Path classes = code.resolve(SeccompCompiler.class.getPackageName().replace('.', '/'));
            var files = new TreeMap<String, String>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(classes)) {
                for (Path file : listing) {
                    files.put(file.getFileName().toString(), stat(file));
                }
            }
            return Optional.of(code + " " + files);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // No code source (a custom class loader), or one that is not a file.
            return Optional.empty();
        }
    }

    private static String stat(Path file) throws IOException {
        Map<String, Object> stat =
                Files.readAttributes(file, "unix:ino,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        return stat.get("ino") + " " + stat.get("size") + " " + stat.get("lastModifiedTime");
    }
}
