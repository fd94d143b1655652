package dev.canal.runtime.oci;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads config.json into a {@link Spec}, turning every failure into one line that says where:
 * {@code config.json: line 3, column 5: ...} for broken JSON, and
 * {@code config.json: process.user.uid: expected a number, got "root"} for a value of the wrong
 * type.
 *
 * <p>One pass of Jackson's streaming parser, straight into the records ({@link SpecRecords}):
 * no tree and no databind, whose mapper and introspection of the records cost more than the
 * rest of a {@code canal-oci run} (docs/start-time.md, step 12). The errors are those of
 * reading the whole document first and binding it after: broken JSON wins over a wrong value,
 * and a member written twice counts as its last.
 */
public final class SpecReader {

    private static final JsonFactory JSON = new JsonFactory();

    private SpecReader() {}

    /** Reads and binds a config.json file; errors start with the file's path. */
    public static Spec read(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidSpecException(file + ": cannot read: " + reason(e), e);
        }
        return read(file.toString(), () -> JSON.createParser(ObjectReadContext.empty(), json), SpecRecords::spec);
    }

    /** Reads and binds config.json text; errors start with {@code source}, for example "config.json". */
    public static Spec parse(String json, String source) {
        return read(source, () -> JSON.createParser(ObjectReadContext.empty(), json), SpecRecords::spec);
    }

    /**
     * Reads a {@code process} object on its own, as {@code runc exec --process} takes it from a
     * file; errors start with {@code source} and name the field within the process
     * ({@code args: expected an array, got "x"}).
     */
    public static ProcessConfig parseProcess(String json, String source) {
        return read(source, () -> JSON.createParser(ObjectReadContext.empty(), json), SpecRecords::process);
    }

    /**
     * Reads a {@code linux.resources} object on its own, as {@code runc update --resources}
     * takes it; errors start with {@code source}.
     */
    public static Resources parseResources(String json, String source) {
        return read(source, () -> JSON.createParser(ObjectReadContext.empty(), json), SpecRecords::resources);
    }

    /** Reads a {@code hooks} object on its own, as {@link Hooks#toJson} writes it. */
    static Hooks parseHooks(String json, String source) {
        return read(source, () -> JSON.createParser(ObjectReadContext.empty(), json), SpecRecords::hooks);
    }

    private static <T> T read(String source, Supplier<JsonParser> opening, Function<JsonInput, T> reader) {
        try {
            try {
                return readWhole(opening.get(), reader);
            } catch (JsonInput.WrongValue wrong) {
                if (wrong.atTheTop()) {
                    throw wrong;
                }
                // A member written twice counts as its last, as in databind and Go, so the wrong
                // value may be one a later duplicate replaces: read again from a tree, which keeps
                // the last only. Databind's classes load on this path alone: a config that fails.
                String lastOnly;
                try (JsonParser parser = opening.get()) {
                    lastOnly = SpecJson.MAPPER.writeValueAsString(SpecJson.MAPPER.readTree(parser));
                }
                return readWhole(JSON.createParser(ObjectReadContext.empty(), lastOnly), reader);
            }
        } catch (JsonInput.WrongValue wrong) {
            throw new InvalidSpecException(source + ": " + wrong.describe(), wrong);
        } catch (JacksonException e) {
            throw syntaxError(source, e);
        }
    }

    /**
     * The document {@code parser} holds, read by {@code reader}. After a wrong value the rest is
     * read through first: broken JSON or content after the document is what gets reported then.
     */
    private static <T> T readWhole(JsonParser parser, Function<JsonInput, T> reader) {
        try (parser) {
            try {
                parser.nextToken();
                T value = new JsonInput(parser).requiredObject(reader);
                requireEnd(parser);
                return value;
            } catch (JsonInput.WrongValue wrong) {
                readThrough(parser);
                throw wrong;
            }
        }
    }

    /** Nothing but white space may follow the document. */
    private static void requireEnd(JsonParser parser) {
        if (parser.nextToken() != null) {
            throw new TrailingContent(parser.currentTokenLocation());
        }
    }

    /** Reads the rest of the document, for a syntax error in it or content after it. */
    private static void readThrough(JsonParser parser) {
        while (parser.streamReadContext().getNestingDepth() > 0) {
            parser.nextToken();
        }
        requireEnd(parser);
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> "no such file";
            case AccessDeniedException _ -> "permission denied";
            default -> e.toString();
        };
    }

    private static InvalidSpecException syntaxError(String source, JacksonException e) {
        TokenStreamLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        String problem = e instanceof TrailingContent
                ? "more JSON after the end of the document"
                : oneLine(e.getOriginalMessage());
        return new InvalidSpecException(source + ": " + where + problem, e);
    }

    /** Jackson's own text, without its source description, on one line. */
    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\(start marker at \\[.*?]\\)", "")
                .replaceAll("\\s+", " ")
                .strip();
    }

    /** A second value after the document, at {@code location}. */
    private static final class TrailingContent extends JacksonException {

        private static final long serialVersionUID = 1L;

        TrailingContent(TokenStreamLocation location) {
            super("more JSON after the end of the document", location, null);
        }
    }
}
