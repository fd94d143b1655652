package dev.canal.engine;

import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.sys.OwnedFd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public record UserResolution(long uid, long gid, List<Long> additionalGids, String home) {
    private static final long MAX_FILE = 1048576L;

    public static UserResolution resolve(String spec, Path rootfs) {
        if (spec == null || spec.isEmpty()) {
            spec = "0";
        }

        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? null : spec.substring(colon + 1);
        if (!user.isEmpty() && (group == null || !group.isEmpty())) {
            List<String[]> passwd = entries(rootfs, "/etc/passwd");
            Optional<String[]> entry = passwd.stream()
                    .filter(fieldsx -> fieldsx.length >= 7
                            && (fieldsx[0].equals(user) || isNumber(user) && fieldsx[2].equals(user)))
                    .findFirst();
            if (entry.isEmpty() && !isNumber(user)) {
                throw new IllegalArgumentException(
                        "unable to find user " + user + ": no matching entries in passwd file");
            }

            long uid = entry.<Long>map(fieldsx -> parseId(fieldsx[2], "/etc/passwd"))
                    .orElseGet(() -> Long.parseLong(user));
            long gid = entry.<Long>map(fieldsx -> parseId(fieldsx[3], "/etc/passwd"))
                    .orElse(0L);
            String home = entry.<String>map(fieldsx -> fieldsx[5]).orElse("/");
            List<String[]> groups = entries(rootfs, "/etc/group");
            ArrayList<Long> additional = new ArrayList<>();
            if (group != null) {
                gid = groupId(group, groups);
            } else if (entry.isPresent()) {
                String name = entry.get()[0];

                for (String[] fields : groups) {
                    if (fields.length >= 4 && List.of(fields[3].split(",")).contains(name)) {
                        long member = parseId(fields[2], "/etc/group");
                        if (member != gid && !additional.contains(member)) {
                            additional.add(member);
                        }
                    }
                }
            }

            return new UserResolution(uid, gid, additional, home);
        } else {
            throw new IllegalArgumentException("user \"" + spec + "\": expected USER[:GROUP]");
        }
    }

    private static long groupId(String group, List<String[]> groups) {
        return isNumber(group)
                ? Long.parseLong(group)
                : groups.stream()
                        .filter(fields -> fields.length >= 3 && fields[0].equals(group))
                        .map(fields -> parseId(fields[2], "/etc/group"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "unable to find group " + group + ": no matching entries in group file"));
    }

    private static List<String[]> entries(Path rootfs, String inside) {
        try {
            RootDirectory root = RootDirectory.open(rootfs.toString());

            List var11;
            label77:
            {
                List var5;
                try {
                    if (!root.exists(inside)) {
                        var11 = List.of();
                        break label77;
                    }

                    OwnedFd file = root.resolve(inside);

                    try {
                        Path path = Path.of(RootDirectory.procPath(file));
                        if (!Files.isRegularFile(path) || Files.size(path) > 1048576L) {
                            throw new IllegalArgumentException(
                                    inside + " in the image is not a regular file of at most 1 MiB");
                        }

                        var5 = Files.readAllLines(path).stream()
                                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                                .map(line -> line.split(":", -1))
                                .toList();
                    } catch (Throwable var8) {
                        if (file != null) {
                            try {
                                file.close();
                            } catch (Throwable var7) {
                                var8.addSuppressed(var7);
                            }
                        }

                        throw var8;
                    }

                    if (file != null) {
                        file.close();
                    }
                } catch (Throwable var9) {
                    if (root != null) {
                        try {
                            root.close();
                        } catch (Throwable var6) {
                            var9.addSuppressed(var6);
                        }
                    }

                    throw var9;
                }

                if (root != null) {
                    root.close();
                }

                return var5;
            }

            if (root != null) {
                root.close();
            }

            return var11;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + inside + " in the image: " + e.getMessage(), e);
        }
    }

    private static boolean isNumber(String text) {
        return text.matches("[0-9]{1,10}") && Long.parseLong(text) <= 4294967294L;
    }

    private static long parseId(String text, String file) {
        if (!isNumber(text)) {
            throw new IllegalArgumentException(file + " in the image has an invalid id \"" + text + "\"");
        } else {
            return Long.parseLong(text);
        }
    }
}
