package dev.canal.engine;

import dev.canal.images.tar.TarEntry;
import dev.canal.images.tar.TarEntry.Type;
import dev.canal.images.tar.TarReader;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

public final class ContainerArchive {
    private ContainerArchive() {}

    public static ContainerArchive.PathStat stat(Path root, String inside) {
        try {
            RootDirectory rootDirectory = RootDirectory.open(root.toString());

            ContainerArchive.PathStat var10;
            try {
                OwnedFd parent = rootDirectory.resolve(parentOf(inside));

                try {
                    Path file = Path.of(RootDirectory.procPath(parent)).resolve(nameOf(inside));
                    PosixFileAttributes attributes =
                            Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    long mode = permissions(attributes.permissions());
                    String link = "";
                    if (attributes.isDirectory()) {
                        mode |= 2147483648L;
                    } else if (attributes.isSymbolicLink()) {
                        mode |= 134217728L;
                        link = Files.readSymbolicLink(file).toString();
                    }

                    String name = nameOf(inside).isEmpty() ? "/" : nameOf(inside);
                    var10 = new ContainerArchive.PathStat(
                            name,
                            attributes.size(),
                            mode,
                            attributes.lastModifiedTime().toInstant().toString(),
                            link);
                } catch (Throwable var13) {
                    if (parent != null) {
                        try {
                            parent.close();
                        } catch (Throwable var12) {
                            var13.addSuppressed(var12);
                        }
                    }

                    throw var13;
                }

                if (parent != null) {
                    parent.close();
                }
            } catch (Throwable var14) {
                if (rootDirectory != null) {
                    try {
                        rootDirectory.close();
                    } catch (Throwable var11) {
                        var14.addSuppressed(var11);
                    }
                }

                throw var14;
            }

            if (rootDirectory != null) {
                rootDirectory.close();
            }

            return var10;
        } catch (NoSuchFileException | SyscallException missing) {
            throw new NoSuchObjectException("Could not find the file " + inside + " in container");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void export(Path root, String inside, OutputStream out) throws IOException {
        RootDirectory rootDirectory = RootDirectory.open(root.toString());

        label109:
        {
            try {
                OwnedFd start;
                label111:
                {
                    start = rootDirectory.resolve(inside);

                    try {
                        Path link = Path.of(RootDirectory.procPath(start));
                        String top = nameOf(inside).isEmpty() ? "." : nameOf(inside);
                        TarWriter tar = new TarWriter(out);
                        if (Files.isDirectory(link)) {
                            Path base = link.resolve(".");

                            List<Path> members;
                            try (Stream<Path> walk = Files.walk(base)) {
                                members = walk.toList();
                            }

                            for (Path member : members) {
                                String relative = base.relativize(member).toString();
                                add(tar, member, relative.isEmpty() ? top : top + "/" + relative, relative.isEmpty());
                            }

                            tar.finish();
                            break label111;
                        }

                        add(tar, link, top, true);
                        tar.finish();
                    } catch (Throwable var17) {
                        if (start != null) {
                            try {
                                start.close();
                            } catch (Throwable var14) {
                                var17.addSuppressed(var14);
                            }
                        }

                        throw var17;
                    }

                    if (start != null) {
                        start.close();
                    }
                    break label109;
                }

                if (start != null) {
                    start.close();
                }
            } catch (Throwable var18) {
                if (rootDirectory != null) {
                    try {
                        rootDirectory.close();
                    } catch (Throwable var13) {
                        var18.addSuppressed(var13);
                    }
                }

                throw var18;
            }

            if (rootDirectory != null) {
                rootDirectory.close();
            }

            return;
        }

        if (rootDirectory != null) {
            rootDirectory.close();
        }
    }

    private static void add(TarWriter tar, Path file, String name, boolean top) throws IOException {
        LinkOption[] follow = top ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class, follow);
        int mode = (int) permissions(attributes.permissions());
        long uid = ((Number) Files.getAttribute(file, "unix:uid", follow)).longValue();
        long gid = ((Number) Files.getAttribute(file, "unix:gid", follow)).longValue();
        long mtime = attributes.lastModifiedTime().toInstant().getEpochSecond();
        if (attributes.isDirectory()) {
            tar.add(name + "/", (byte) 53, mode, uid, gid, 0L, mtime, null, null);
        } else if (attributes.isSymbolicLink()) {
            tar.add(
                    name,
                    (byte) 50,
                    mode,
                    uid,
                    gid,
                    0L,
                    mtime,
                    Files.readSymbolicLink(file).toString(),
                    null);
        } else if (attributes.isRegularFile()) {
            try (InputStream content = Files.newInputStream(file, follow)) {
                tar.add(name, (byte) 48, mode, uid, gid, attributes.size(), mtime, null, content);
            }
        }
    }

    public static void extract(Path root, String inside, InputStream tar) throws IOException {
        RootDirectory rootDirectory = RootDirectory.open(root.toString());

        try {
            if (!rootDirectory.isDirectory(inside)) {
                throw new IllegalArgumentException("extraction point is not a directory: " + inside);
            }

            TarReader reader = new TarReader(tar);
            ArrayList<TarEntry> made = new ArrayList<>();

            for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
                String name = clean(entry.name());
                if (!name.isEmpty()) {
                    String target = inside.endsWith("/") ? inside + name : inside + "/" + name;
                    switch (entry.type()) {
                        case DIRECTORY:
                            rootDirectory.makeDirectories(target, entry.mode() & 4095);
                            break;
                        case REGULAR:
                            writeFile(rootDirectory, target, reader.content());
                            break;
                        case SYMLINK:
                            removeIfThere(rootDirectory, target);
                            rootDirectory.makeSymlink(entry.linkName(), target);
                            break;
                        case HARD_LINK:
                            String existing = inside + "/" + clean(entry.linkName());
                            removeIfThere(rootDirectory, target);
                            OwnedFd from = rootDirectory.resolve(parentOf(existing));

                            try {
                                OwnedFd to = rootDirectory.resolve(parentOf(target));

                                try {
                                    PathAt.link(from, nameOf(existing), to, nameOf(target));
                                } catch (Throwable var19) {
                                    if (to != null) {
                                        try {
                                            to.close();
                                        } catch (Throwable var17) {
                                            var19.addSuppressed(var17);
                                        }
                                    }

                                    throw var19;
                                }

                                if (to != null) {
                                    to.close();
                                }
                            } catch (Throwable var20) {
                                if (from != null) {
                                    try {
                                        from.close();
                                    } catch (Throwable var16) {
                                        var20.addSuppressed(var16);
                                    }
                                }

                                throw var20;
                            }

                            if (from != null) {
                                from.close();
                            }
                            break;
                        default:
                            continue;
                    }

                    made.add(entry);
                    if (entry.type() != Type.SYMLINK) {
                        OwnedFd file = rootDirectory.resolve(target);

                        try {
                            Path path = Path.of(RootDirectory.procPath(file));
                            Files.setAttribute(path, "unix:uid", (int) entry.uid());
                            Files.setAttribute(path, "unix:gid", (int) entry.gid());
                            Files.setAttribute(path, "unix:mode", entry.mode() & 4095);
                        } catch (Throwable var18) {
                            if (file != null) {
                                try {
                                    file.close();
                                } catch (Throwable var15) {
                                    var18.addSuppressed(var15);
                                }
                            }

                            throw var18;
                        }

                        if (file != null) {
                            file.close();
                        }
                    }
                }
            }
        } catch (Throwable var21) {
            if (rootDirectory != null) {
                try {
                    rootDirectory.close();
                } catch (Throwable var14) {
                    var21.addSuppressed(var14);
                }
            }

            throw var21;
        }

        if (rootDirectory != null) {
            rootDirectory.close();
        }
    }

    private static void writeFile(RootDirectory root, String target, InputStream content) throws IOException {
        if (root.isDirectory(target)) {
            throw new IllegalArgumentException("cannot overwrite directory " + target + " with a file");
        }

        root.makeDirectories(parentOf(target), 493);
        root.makeFile(target);
        OwnedFd file = root.resolve(target);

        try (OutputStream out = Files.newOutputStream(
                Path.of(RootDirectory.procPath(file)),
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            content.transferTo(out);
        } catch (Throwable var10) {
            if (file != null) {
                try {
                    file.close();
                } catch (Throwable var7) {
                    var10.addSuppressed(var7);
                }
            }

            throw var10;
        }

        if (file != null) {
            file.close();
        }
    }

    private static void removeIfThere(RootDirectory root, String target) {
        if (root.statWithoutFollowing(target) != null) {
            OwnedFd parent = root.resolve(parentOf(target));

            try {
                PathAt.unlink(parent, nameOf(target), false);
            } catch (Throwable var6) {
                if (parent != null) {
                    try {
                        parent.close();
                    } catch (Throwable var5) {
                        var6.addSuppressed(var5);
                    }
                }

                throw var6;
            }

            if (parent != null) {
                parent.close();
            }
        }
    }

    private static String clean(String name) {
        String cleaned = name.replaceFirst("^(\\./|/)+", "");

        while (cleaned.endsWith("/")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }

        for (String component : cleaned.split("/")) {
            if (component.equals("..")) {
                throw new IllegalArgumentException("tar member " + name + ": .. is not allowed");
            }
        }

        return cleaned.equals(".") ? "" : cleaned;
    }

    private static long permissions(Set<PosixFilePermission> permissions) {
        long mode = 0L;

        for (PosixFilePermission permission : permissions) {
            mode |= 1L << 8 - permission.ordinal();
        }

        return mode;
    }

    private static String parentOf(String inside) {
        String trimmed =
                inside.length() > 1 && inside.endsWith("/") ? inside.substring(0, inside.length() - 1) : inside;
        int slash = trimmed.lastIndexOf('/');
        return slash <= 0 ? "/" : trimmed.substring(0, slash);
    }

    private static String nameOf(String inside) {
        String trimmed =
                inside.length() > 1 && inside.endsWith("/") ? inside.substring(0, inside.length() - 1) : inside;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    public record PathStat(String name, long size, long mode, String mtime, String linkTarget) {}
}
