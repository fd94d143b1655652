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

/**
 * Who the container's process runs as: {@code USER[:GROUP]} from {@code -u} or the image's
 * {@code User}, as runc's libcontainer/user (which docker uses) reads it. Names are looked up in
 * the container's own /etc/passwd and /etc/group; numbers pass through, and a uid that has no
 * passwd entry keeps group 0 and home /. Without a group, the user's passwd group applies and
 * the groups of /etc/group that list the user become supplementary groups. The files are opened
 * inside the root filesystem ({@link RootDirectory}): an image's /etc/passwd may be a symlink,
 * and it must not lead to the host's.
 *
 * @param home the passwd entry's home directory, or / without one: the HOME a container gets
 */
public record UserResolution(long uid, long gid, List<Long> additionalGids, String home) {

    /** Larger account files than this are not read: they are not account files. */
    private static final long MAX_FILE = 1 << 20;

    /** The highest id: (uid_t) -1 means "no change" to setresuid(2) and chown(2). */
    private static final long MAX_ID = 0xFFFF_FFFEL;

    public static UserResolution resolve(String spec, Path rootfs) {
        if (spec == null || spec.isEmpty()) {
            spec = "0";
        }
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? null : spec.substring(colon + 1);
        if (user.isEmpty() || group != null && group.isEmpty()) {
            throw new IllegalArgumentException("user \"" + spec + "\": expected USER[:GROUP]");
        }
        // A passwd line has seven fields: name:password:uid:gid:gecos:home:shell (passwd(5)).
        List<String[]> passwd = entries(rootfs, "/etc/passwd");
        Optional<String[]> entry = passwd.stream()
                .filter(fields ->
                        fields.length >= 7 && (fields[0].equals(user) || isNumber(user) && fields[2].equals(user)))
                .findFirst();
        if (entry.isEmpty() && !isNumber(user)) {
            throw new IllegalArgumentException("unable to find user " + user + ": no matching entries in passwd file");
        }
        long uid = entry.map(fields -> parseId(fields[2], "/etc/passwd")).orElseGet(() -> Long.parseLong(user));
        long gid = entry.map(fields -> parseId(fields[3], "/etc/passwd")).orElse(0L);
        String home = entry.map(fields -> fields[5]).orElse("/");
        // A group line is name:password:gid:member,member (group(5)).
        List<String[]> groups = entries(rootfs, "/etc/group");
        List<Long> additional = new ArrayList<>();
        if (group != null) {
            // An explicit group replaces the primary one and, as in runc, brings no others.
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
    }

    private static long groupId(String group, List<String[]> groups) {
        if (isNumber(group)) {
            return Long.parseLong(group);
        }
        return groups.stream()
                .filter(fields -> fields.length >= 3 && fields[0].equals(group))
                .map(fields -> parseId(fields[2], "/etc/group"))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unable to find group " + group + ": no matching entries in group file"));
    }

    /** The colon-separated lines of an account file in the container, none if it has no such file. */
    private static List<String[]> entries(Path rootfs, String inside) {
        try (RootDirectory root = RootDirectory.open(rootfs.toString())) {
            if (!root.exists(inside)) {
                return List.of();
            }
            try (OwnedFd file = root.resolve(inside)) {
                // The O_PATH descriptor reopened through its /proc link: the very file resolved inside the root.
                Path path = Path.of(RootDirectory.procPath(file));
                if (!Files.isRegularFile(path) || Files.size(path) > MAX_FILE) {
                    throw new IllegalArgumentException(inside + " in the image is not a regular file of at most 1 MiB");
                }
                return Files.readAllLines(path).stream()
                        .filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .map(line -> line.split(":", -1))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + inside + " in the image: " + e.getMessage(), e);
        }
    }

    private static boolean isNumber(String text) {
        return text.matches("[0-9]{1,10}") && Long.parseLong(text) <= MAX_ID;
    }

    private static long parseId(String text, String file) {
        if (!isNumber(text)) {
            throw new IllegalArgumentException(file + " in the image has an invalid id \"" + text + "\"");
        }
        return Long.parseLong(text);
    }
}
