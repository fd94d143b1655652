package dev.canal.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The references in the tree's Markdown and in the Java examples of docs/, checked against the
 * tree, by the convention docs/README.md states ("How references are written"):
 *
 * <ul>
 *   <li>a page, file or directory of the tree is a relative Markdown link, a section an anchor
 *       of its page: {@code [rootfs](rootfs.md#5-pivot_root)}, {@code [`scripts/setup`](../scripts/setup)};
 *   <li>a class is its name in code linked to its file, a member {@code Class.member} (or
 *       {@code Class#member}) linked the same way;
 *   <li>in a comment of docs/examples/*.java: {@code Class.member (path from the repository root)}.
 * </ul>
 *
 * <p>Every Markdown file's relative links must lead to a file of the tree (not a build output),
 * their anchors to a heading of the page; a linked class must be its file's, a linked member
 * declared in it. In docs/ a class of the tree, a path of the tree or a page of docs/ named
 * without a link is a problem too, so the convention cannot erode.
 */
final class DocReferences {

    /** One broken or unlinked reference: where it is, and what is wrong. */
    record Problem(String where, String message) {
        @Override
        public String toString() {
            return where + ": " + message;
        }
    }

    private static final Pattern FENCE = Pattern.compile(" {0,3}(```|~~~)");
    private static final Pattern LINK =
            Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\[\\]]*])*)]\\(\\s*<?([^()\\s<>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern CODE = Pattern.compile("(`+)(?!`)(.+?)(?<!`)\\1(?!`)", Pattern.DOTALL);
    private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}[ \\t]+(.*?)[ \\t]*#*[ \\t]*$");
    private static final Pattern EXTERNAL = Pattern.compile("^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)");
    private static final Pattern BARE_URL = Pattern.compile("(?:https?|ftp)://\\S+");
    private static final Pattern CITATION = Pattern.compile("([A-Z]\\w*)(?:[.#](\\w+))?(?:\\(.*\\))?");
    private static final Pattern PLAIN_CITATION =
            Pattern.compile("(?<![\\w.$/])([A-Z][a-z0-9]+[A-Z]\\w*)(?:[.#]([a-z]\\w*))?\\b");
    private static final Pattern PAGE_NAME = Pattern.compile("(?<![\\w./-])([\\w-]+\\.md)(?:#[\\w-]*)?\\b");
    private static final Pattern PACKAGE_PATH = Pattern.compile("[a-z][\\w-]*(?:/[\\w.-]+)*/([A-Z]\\w*)(?:\\.java)?");
    private static final Pattern EXAMPLE_CITATION = Pattern.compile("([A-Z]\\w*)(?:[.#](\\w+))? \\(([\\w./-]+)\\)");

    private final Path root;
    private final Set<String> topLevel = new TreeSet<>();
    private final Map<String, List<Path>> classes = new HashMap<>();
    private final Map<Path, List<String>> anchors = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    private DocReferences(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every problem of the tree at {@code root}, in file order. */
    static List<Problem> check(Path root) {
        var check = new DocReferences(root);
        check.index();
        for (Path file : check.files(".md")) {
            check.markdown(file);
        }
        Path examples = check.root.resolve("docs/examples");
        if (Files.isDirectory(examples)) {
            for (Path file : check.files(".java")) {
                if (file.startsWith(examples)) {
                    check.example(file);
                }
            }
        }
        return check.problems;
    }

    private void index() {
        try (Stream<Path> entries = Files.list(root)) {
            entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && !isBuildOutput(Path.of(name)))
                    .forEach(topLevel::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files(".java")) {
            String path = root.relativize(file).toString();
            if (path.contains("/src/main/java/") || path.contains("/src/test/java/")) {
                String name = file.getFileName().toString().replaceFirst("\\.java$", "");
                classes.computeIfAbsent(name, n -> new ArrayList<>()).add(file);
            }
        }
    }

    private List<Path> files(String suffix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(suffix))
                    .filter(file -> {
                        Path relative = root.relativize(file);
                        for (Path part : relative) {
                            if (part.toString().startsWith(".")) {
                                return false;
                            }
                        }
                        return !isBuildOutput(relative);
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Maven's target/ directories, and the top-level build/ that scripts/setup writes; a package
     * named build (dev/canal/engine/build) is source.
     */
    private static boolean isBuildOutput(Path relative) {
        if (relative.getNameCount() > 0 && relative.getName(0).toString().equals("build")) {
            return true;
        }
        for (Path part : relative) {
            if (part.toString().equals("target")) {
                return true;
            }
        }
        return false;
    }

    // ---- Markdown

    private void markdown(Path page) {
        String text = withoutFencedBlocks(read(page));
        boolean convention = root.relativize(page).startsWith("docs");
        // Code first: brackets inside code are not links. Link texts keep their code.
        List<int[]> spans = new ArrayList<>();
        var codeless = new StringBuilder(text);
        Matcher code = CODE.matcher(text);
        while (code.find()) {
            spans.add(new int[] {code.start(), code.end(), code.start(2)});
            for (int i = code.start(); i < code.end(); i++) {
                if (text.charAt(i) != '\n') {
                    codeless.setCharAt(i, 'x');
                }
            }
        }
        var prose = new StringBuilder(codeless);
        List<int[]> linkTexts = new ArrayList<>();
        Matcher link = LINK.matcher(codeless);
        while (link.find()) {
            linkTexts.add(new int[] {link.start(1), link.end(1)});
            blank(prose, link.start(), link.end());
            link(
                    page,
                    text,
                    link.start(),
                    text.substring(link.start(1), link.end(1)).strip(),
                    link.group(2));
        }
        for (int[] span : spans) {
            blank(prose, span[0], span[1]);
            boolean linked = linkTexts.stream().anyMatch(range -> range[0] <= span[0] && span[1] <= range[1]);
            if (convention && !linked) {
                Matcher content = CODE.matcher(text).region(span[0], span[1]);
                if (content.lookingAt()) {
                    unlinkedCode(page, text, span[0], content.group(2).strip());
                }
            }
        }
        if (convention) {
            unlinkedProse(page, prose.toString());
        }
    }

    private void link(Path page, String text, int at, String linkText, String target) {
        if (target.isEmpty() || EXTERNAL.matcher(target).find()) {
            return;
        }
        int hash = target.indexOf('#');
        String pathPart = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved =
                pathPart.isEmpty() ? page : page.getParent().resolve(pathPart).normalize();
        String where = where(page, text, at);
        if (!resolved.startsWith(root)) {
            problems.add(new Problem(where, "link " + target + " leads outside the repository"));
            return;
        }
        String relative = root.relativize(resolved).toString();
        if (isBuildOutput(root.relativize(resolved))) {
            problems.add(new Problem(where, "link " + target + " leads to a build output, not the tree"));
            return;
        }
        if (!Files.exists(resolved)) {
            problems.add(new Problem(where, "link " + target + ": no such file " + relative));
            return;
        }
        if (anchor != null) {
            if (!resolved.toString().endsWith(".md")) {
                problems.add(new Problem(where, "link " + target + ": an anchor can only name a heading of a page"));
            } else if (!anchorsOf(resolved).contains(anchor)) {
                problems.add(new Problem(where, "link " + target + ": no heading #" + anchor + " in " + relative));
            }
        }
        Matcher code = Pattern.compile("`+(.+?)`+", Pattern.DOTALL).matcher(linkText);
        if (code.matches()) {
            linkedCode(where, code.group(1).strip(), resolved, relative);
        }
    }

    /** A link whose text is code names its target: its class or member, or a tail of its path. */
    private void linkedCode(String where, String cited, Path target, String relative) {
        if (cited.equals(target.getFileName().toString())) {
            return;
        }
        if (cited.contains("/")) {
            String path = cited.replaceFirst("^(\\.\\./)+", "").replaceFirst("/$", "");
            String readme = path + "/README.md"; // a directory, linked to the page that presents it
            if (!(relative.equals(path) || relative.endsWith("/" + path) || relative.equals(readme))) {
                problems.add(new Problem(where, "`" + cited + "` links to " + relative + ", another path"));
            }
            return;
        }
        Matcher citation = CITATION.matcher(cited);
        if (relative.endsWith(".java") && citation.matches()) {
            String source = read(target);
            String file = target.getFileName().toString().replaceFirst("\\.java$", "");
            String type = citation.group(1);
            if (!type.equals(file) && !declaresType(source, type)) {
                problems.add(new Problem(where, "`" + cited + "` links to " + relative + ", which is not " + type));
            } else if (citation.group(2) != null && !declares(source, citation.group(2))) {
                problems.add(new Problem(where, "`" + cited + "`: " + relative + " declares no " + citation.group(2)));
            }
        } else if (relative.endsWith(".java")) {
            problems.add(new Problem(where, "`" + cited + "` links to " + relative + ": cite its class or a member"));
        }
    }

    private void unlinkedCode(Path page, String text, int at, String code) {
        String where = where(page, text, at);
        Matcher citation = CITATION.matcher(code);
        Matcher packagePath = PACKAGE_PATH.matcher(code);
        if (isTreePath(code)) {
            problems.add(new Problem(where, "`" + code + "` is a path of the tree: make it a link"));
        } else if (citation.matches() && classes.containsKey(citation.group(1))) {
            problems.add(new Problem(where, "`" + code + "` names a class of the tree: link it to its file"));
        } else if (packagePath.matches() && classes.containsKey(packagePath.group(1))) {
            problems.add(new Problem(where, "`" + code + "` names a class of the tree: link it to its file"));
        } else if (code.matches("[\\w-]+\\.md(#[\\w-]*)?") && isPage(code.replaceFirst("#.*", ""))) {
            problems.add(new Problem(where, "`" + code + "` is a page of docs/: make it a link"));
        }
    }

    private void unlinkedProse(Path page, String prose) {
        String text = BARE_URL.matcher(prose)
                .replaceAll(match -> " ".repeat(match.group().length()));
        Matcher name = PAGE_NAME.matcher(text);
        while (name.find()) {
            if (isPage(name.group(1))) {
                problems.add(
                        new Problem(where(page, text, name.start()), name.group() + " names a page: make it a link"));
            }
        }
        Matcher citation = PLAIN_CITATION.matcher(text);
        while (citation.find()) {
            if (classes.containsKey(citation.group(1))) {
                problems.add(new Problem(
                        where(page, text, citation.start()),
                        citation.group() + " names a class of the tree: cite it as code linked to its file"));
            }
        }
        Matcher path = Pattern.compile("(?<![\\w./-])[\\w.-]+/[\\w./-]*[\\w/]").matcher(text);
        while (path.find()) {
            if (isTreePath(path.group())) {
                problems.add(new Problem(
                        where(page, text, path.start()), path.group() + " is a path of the tree: make it a link"));
            }
        }
    }

    private boolean isPage(String name) {
        return Files.isRegularFile(root.resolve("docs").resolve(name));
    }

    /** A path from the repository root, whether or not the file exists (or "..." abbreviates it). */
    private boolean isTreePath(String text) {
        // A line ending inside a code span is rendered as a space (CommonMark, "Code spans"):
        // `bin/canal-oci state` wrapped between its words is still a command, not a path.
        if (text.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        int slash = text.indexOf('/');
        String first = slash < 0 ? text : text.substring(0, slash);
        return topLevel.contains(first) && (slash >= 0 || text.contains("."));
    }

    private List<String> anchorsOf(Path page) {
        return anchors.computeIfAbsent(page, p -> {
            List<String> found = new ArrayList<>();
            Map<String, Integer> seen = new TreeMap<>();
            Matcher heading = HEADING.matcher(withoutFencedBlocks(read(p)));
            while (heading.find()) {
                String slug = slug(heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                found.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
            return found;
        });
    }

    /** A heading's anchor as GitHub and Forgejo make it: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        String text = LINK.matcher(heading).replaceAll(match -> Matcher.quoteReplacement(match.group(1)));
        var slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }

    // ---- Java examples

    private void example(Path file) {
        List<String> lines = List.of(read(file).split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf("//");
            if (comment < 0) {
                continue;
            }
            String text = line.substring(comment + 2);
            String where = root.relativize(file) + ":" + (i + 1);
            Matcher citation = EXAMPLE_CITATION.matcher(text);
            while (citation.find()) {
                Path target = root.resolve(citation.group(3)).normalize();
                if (!Files.isRegularFile(target) || !target.startsWith(root)) {
                    continue; // reported below as a path
                }
                String source = read(target);
                String type = citation.group(1);
                if (!target.getFileName().toString().equals(type + ".java") && !declaresType(source, type)) {
                    problems.add(new Problem(where, type + " is not the class of " + citation.group(3)));
                } else if (citation.group(2) != null && !declares(source, citation.group(2))) {
                    problems.add(new Problem(where, citation.group(3) + " declares no " + citation.group(2)));
                }
            }
            Matcher path =
                    Pattern.compile("(?<![\\w./-])[\\w.-]+/[\\w./-]*[\\w/]").matcher(text);
            while (path.find()) {
                if (isTreePath(path.group()) && !Files.exists(root.resolve(path.group()))) {
                    problems.add(new Problem(where, "no such file " + path.group()));
                }
            }
        }
    }

    // ---- Java declarations

    private static boolean declaresType(String source, String type) {
        return Pattern.compile("\\b(?:class|interface|enum|record)\\s+" + type + "\\b")
                .matcher(source)
                .find();
    }

    /** A method, constructor, field, enum constant or record component named {@code member}. */
    static boolean declares(String source, String member) {
        String name = Pattern.quote(member);
        String modifiers = "(?:(?:public|protected|private|static|final|abstract|synchronized|native|default"
                + "|volatile|transient)\\s+)*";
        String type = "(?!(?:return|new|throw|else|case|yield)\\b)[\\w$][\\w.$<>\\[\\]?, ]*?[\\w>\\]]";
        return Pattern.compile("(?m)^[ \\t]*+(?:@\\w+(?:\\([^)]*\\))?\\s+)*" + modifiers + "(?:<[^>]+>\\s+)?" + type
                                + "\\s+" + name + "\\s*[(=;]")
                        .matcher(source)
                        .find()
                || Pattern.compile("(?m)^[ \\t]*" + modifiers + name + "\\s*\\(") // a constructor
                                .matcher(source)
                                .find()
                        && Pattern.compile("\\b(?:class|record|enum)\\s+" + name + "\\b")
                                .matcher(source)
                                .find()
                || member.matches("[A-Z][A-Z0-9_]*")
                        && Pattern.compile("\\benum\\s+\\w+[^{]*\\{[^;}]*?(?<![\\w.])" + name + "\\s*[(,;{}]")
                                .matcher(source)
                                .find()
                || Pattern.compile("\\brecord\\s+\\w+\\s*(?:<[^>]*>)?\\s*\\(([^)]*\\b" + name + "\\s*[,)])")
                        .matcher(source)
                        .find();
    }

    // ---- text helpers

    /** The text with every fenced code block blanked, so line numbers stay. */
    static String withoutFencedBlocks(String text) {
        var out = new StringBuilder();
        String fence = null;
        for (String line : text.split("\n", -1)) {
            Matcher marker = FENCE.matcher(line);
            boolean fenceLine = marker.lookingAt();
            if (fence == null && fenceLine) {
                fence = marker.group(1);
            } else if (fence != null && fenceLine && line.strip().matches(Pattern.quote(fence) + "+")) {
                fence = null;
                out.append(" ".repeat(line.length())).append('\n');
                continue;
            }
            out.append(fence == null ? line : " ".repeat(line.length())).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static void blank(StringBuilder text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) != '\n') {
                text.setCharAt(i, ' ');
            }
        }
    }

    private String where(Path file, String text, int at) {
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return root.relativize(file) + ":" + line;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
