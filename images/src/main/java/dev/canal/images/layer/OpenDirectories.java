package dev.canal.images.layer;

import dev.canal.runtime.sys.OwnedFd;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The directories an unpack wrote into last, held open by their path in the layer, so that a
 * member whose parent was opened for an earlier member costs no openat2(2) walk from the top:
 * a walk is one openat2 and one close(2) per path component, more system calls than writing a
 * small file takes. Tars list a directory's members together, mostly; the {@value #LIMIT} most
 * recently used stay open, so a few directories that alternate hit as well, and the open
 * descriptors stay well under the usual limit of 1024.
 *
 * <p>A held descriptor is the directory that was at that path when it was opened. Only an
 * unlink or rmdir can put something else there, so whoever removes a name calls
 * {@link #forgetAll()}, and the next lookup opens every path afresh.
 */
final class OpenDirectories implements AutoCloseable {

    private static final int LIMIT = 64;

    private final Map<List<String>, OwnedFd> open = new LinkedHashMap<>(LIMIT, 0.75f, true);
    private boolean stale;

    /**
     * The directory at {@code path}, opened with {@code opener} unless held already. The
     * descriptor belongs to this cache: valid until the next call, not to be closed.
     */
    OwnedFd get(List<String> path, Supplier<OwnedFd> opener) {
        if (stale) {
            close();
            stale = false;
        }
        OwnedFd held = open.get(path);
        if (held != null) {
            return held;
        }
        if (open.size() == LIMIT) {
            var eldest = open.entrySet().iterator().next();
            eldest.getValue().close();
            open.remove(eldest.getKey());
        }
        OwnedFd opened = opener.get();
        open.put(List.copyOf(path), opened);
        return opened;
    }

    /**
     * Something was removed, so a path may name another file now: the next lookup closes every
     * held descriptor first. Not at once, since the caller may still be using the last one.
     */
    void forgetAll() {
        stale = true;
    }

    @Override
    public void close() {
        open.values().forEach(OwnedFd::close);
        open.clear();
    }
}
