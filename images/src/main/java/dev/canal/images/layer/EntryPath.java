package dev.canal.images.layer;

import dev.canal.images.ImageException;
import java.util.ArrayList;
import java.util.List;

/**
 * A tar member's path, split into components and checked: it must stay inside the layer. An
 * absolute path (other than {@code /} itself, the top) or a {@code ..} component is refused outright; symlinks on the way are refused
 * by the kernel when the parent directory is opened (openat2 {@code RESOLVE_NO_SYMLINKS}), since
 * no string check can see them.
 *
 * @param parent the directories above the member, top first (empty for a member at the top)
 * @param name   the member's own name; empty for the layer's top directory itself ({@code ./})
 */
record EntryPath(List<String> parent, String name) {

    /** Parses {@code path} as a tar member name; {@code what} names it in the error. */
    static EntryPath parse(String path, String what) {
        if (path.matches("/[/.]*")) {
            // "/" alone names the layer's top directory (umoci writes it so), not a path outside.
            return new EntryPath(List.of(), "");
        }
        if (path.startsWith("/")) {
            throw new ImageException(
                    what + " '" + path + "' is an absolute path; layer paths are relative to the layer");
        }
        var components = new ArrayList<String>();
        for (String component : path.split("/")) {
            if (component.equals("..")) {
                throw new ImageException(what + " '" + path + "' contains '..' and would leave the layer");
            }
            if (!component.isEmpty() && !component.equals(".")) {
                components.add(component);
            }
        }
        if (components.isEmpty()) {
            return new EntryPath(List.of(), "");
        }
        return new EntryPath(List.copyOf(components.subList(0, components.size() - 1)), components.getLast());
    }

    /** The path relative to the layer, for messages and for the directory fix-ups at the end. */
    String relative() {
        return parent.isEmpty() ? name : String.join("/", parent) + "/" + name;
    }
}
