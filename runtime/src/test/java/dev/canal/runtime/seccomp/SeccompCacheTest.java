package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.Seccomp;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache of compiled filters: taken on a hit, and only from an entry that is root's alone, a
 * regular file, of this build and of this very section; anything else compiled again and
 * written over. Each refusal is shown with a <em>tampered</em> entry, one whose program allows
 * what the section denies, which must never come back.
 */
@RequiresRoot
class SeccompCacheTest {

    private static final String BUILD = "build 1";

    @TempDir
    Path stateRoot;

    private SeccompCache cache;

    @BeforeEach
    void cache() {
        cache = new SeccompCache(stateRoot, BUILD);
    }

    private static Seccomp denying(String call) {
        return denying(call, 95);
    }

    private static Seccomp denying(String call, int errno) {
        return Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["%s"], "action": "SCMP_ACT_ERRNO", "errnoRet": %d}]}
                """.formatted(call, errno));
    }

    /** {@code program} with every return turned into SECCOMP_RET_ALLOW: a filter that denies nothing. */
    private static SeccompProgram allowingAll(SeccompProgram program) {
        List<ClassicBpfInstruction> instructions = new ArrayList<>();
        for (ClassicBpfInstruction instruction : program.instructions()) {
            boolean isReturn = instruction.code() == ClassicBpfInstruction.RETURN_CONSTANT;
            instructions.add(isReturn ? new ClassicBpfInstruction(instruction.code(), 0, 0, 0x7fff0000) : instruction);
        }
        return new SeccompProgram(instructions, program.flags());
    }

    private Path onlyEntry() throws Exception {
        try (Stream<Path> entries = Files.list(cache.directory())) {
            List<Path> all = entries.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    /** Compiles {@code spec} into the cache and replaces its entry with a tampered one; returns the real program. */
    private SeccompProgram cachedThenTampered(Seccomp spec) throws Exception {
        SeccompProgram real = cache.program(spec);
        Files.writeString(onlyEntry(), CachedFilter.write(BUILD, CanonicalSeccomp.of(spec), allowingAll(real)));
        return real;
    }

    @Test
    void aMissCompilesAndWritesAnEntryThatOnlyRootMayReadInADirectoryOnlyRootMayEnter() throws Exception {
        Seccomp spec = denying("mkdir");
        assertEquals(SeccompCompiler.compile(spec), cache.program(spec));

        Path entry = onlyEntry();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.directory())));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(cache.directory().getParent())));
        assertEquals(
                CachedFilter.write(BUILD, CanonicalSeccomp.of(spec), SeccompCompiler.compile(spec)),
                Files.readString(entry));
    }

    @Test
    void aHitReturnsTheProgramTheEntryHolds() throws Exception {
        Seccomp spec = denying("mkdir");
        SeccompProgram real = cachedThenTampered(spec);
        // What is read is the file's program, not a recompiled one: the tampered entry proves it.
        assertEquals(allowingAll(real), cache.program(spec));
    }

    @Test
    void aCorruptEntryIsCompiledAgainAndWrittenOver() throws Exception {
        Seccomp spec = denying("mkdir");
        SeccompProgram real = cache.program(spec);
        String good = Files.readString(onlyEntry());
        for (String corrupt : List.of(
                "",
                "garbage",
                good.substring(0, good.length() / 2),
                good.replaceFirst("\n(\\d+) (\\d+) (\\d+) (-?\\d+)\n", "\n$1 $2 300 $4\n"),
                good + "6 0 0 0\n")) {
            Files.writeString(onlyEntry(), corrupt);
            assertEquals(real, cache.program(spec), corrupt);
            assertEquals(good, Files.readString(onlyEntry()));
        }
    }

    @Test
    void anEntryOwnedByAnotherUserIsNotTaken() throws Exception {
        Seccomp spec = denying("mkdir");
        SeccompProgram real = cachedThenTampered(spec);
        Files.setAttribute(onlyEntry(), "unix:uid", 1000);
        assertEquals(real, cache.program(spec));
        assertEquals(0, Files.getAttribute(onlyEntry(), "unix:uid"), "written over by root");
    }

    @Test
    void anEntryOthersMayWriteIsNotTaken() throws Exception {
        Seccomp spec = denying("mkdir");
        for (String mode : List.of("rw--w----", "rw-----w-")) {
            SeccompProgram real = cachedThenTampered(spec);
            Files.setPosixFilePermissions(onlyEntry(), PosixFilePermissions.fromString(mode));
            assertEquals(real, cache.program(spec), mode);
        }
    }

    @Test
    void aSymbolicLinkIsNotFollowedAndIsReplacedByAnEntry() throws Exception {
        Seccomp spec = denying("mkdir");
        SeccompProgram real = cachedThenTampered(spec);
        Path entry = onlyEntry();
        Path elsewhere = Files.move(entry, stateRoot.resolve("tampered"));
        Files.createSymbolicLink(entry, elsewhere);

        assertEquals(real, cache.program(spec));
        assertFalse(Files.isSymbolicLink(entry));
        assertTrue(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS));
        assertEquals(
                allowingAll(real),
                CachedFilter.read(Files.readString(elsewhere), BUILD, CanonicalSeccomp.of(spec))
                        .orElseThrow(),
                "the link's target is left as it was");
    }

    /** A FIFO would block the open until someone writes to it: only a regular file is opened at all. */
    @Test
    void aFifoInPlaceOfAnEntryIsNotOpenedAndIsReplaced() throws Exception {
        Seccomp spec = denying("mkdir");
        SeccompProgram real = cache.program(spec);
        Path entry = onlyEntry();
        Files.delete(entry);
        assertEquals(
                0,
                new ProcessBuilder("mkfifo", "-m", "600", entry.toString())
                        .start()
                        .waitFor());

        assertEquals(real, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> cache.program(spec)));
        assertTrue(Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anEntryForAnotherSectionOrAnotherBuildIsNotTaken() throws Exception {
        Seccomp spec = denying("mkdir");
        SeccompProgram real = cache.program(spec);
        Path entry = onlyEntry();
        // Another section's text under this section's name (a hash collision, say).
        Files.writeString(entry, CachedFilter.write(BUILD, CanonicalSeccomp.of(denying("rmdir")), allowingAll(real)));
        assertEquals(real, cache.program(spec));
        Files.writeString(entry, CachedFilter.write("build 2", CanonicalSeccomp.of(spec), allowingAll(real)));
        assertEquals(real, cache.program(spec));

        // Another build names its entries otherwise and compiles for itself.
        var otherBuild = new SeccompCache(stateRoot, "build 2");
        assertEquals(real, otherBuild.program(spec));
        try (Stream<Path> entries = Files.list(cache.directory())) {
            assertEquals(2, entries.count());
        }
    }

    @Test
    void sectionsThatDifferOnlyInWhatTheCompilerReadsHaveDifferentTexts() {
        var oneName = Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a\\",\\"b"], "action": "SCMP_ACT_KILL"}]}""");
        var twoNames = Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a", "b"], "action": "SCMP_ACT_KILL"}]}""");
        assertNotEquals(CanonicalSeccomp.of(oneName), CanonicalSeccomp.of(twoNames));
        var withMetadata = Profiles.parse("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "x", "other": 1,
                 "syscalls": [{"names": ["a", "b"], "action": "SCMP_ACT_KILL"}]}""");
        assertEquals(CanonicalSeccomp.of(twoNames), CanonicalSeccomp.of(withMetadata), "members the compiler ignores");
        assertFalse(CanonicalSeccomp.of(oneName).contains("\n"));
    }

    @Test
    void aDirectoryOthersMayEnterIsNeitherReadNorWritten() throws Exception {
        Seccomp spec = denying("mkdir");
        SeccompProgram real = cachedThenTampered(spec);
        String tampered = Files.readString(onlyEntry());
        Files.setPosixFilePermissions(cache.directory(), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(real, cache.program(spec));
        assertEquals(tampered, Files.readString(onlyEntry()), "nothing written there either");
    }

    @Test
    void withoutAStateRootNothingIsMade() throws Exception {
        Path missing = stateRoot.resolve("missing");
        Seccomp spec = denying("mkdir");
        assertEquals(SeccompCompiler.compile(spec), new SeccompCache(missing, BUILD).program(spec));
        assertFalse(Files.exists(missing));
    }

    @Test
    void theDirectoryKeepsAtMostTheBoundOfEntries() throws Exception {
        for (int errno = 1; errno <= SeccompCache.MAX_ENTRIES + 5; errno++) {
            cache.program(denying("mkdir", errno));
        }
        try (Stream<Path> entries = Files.list(cache.directory())) {
            assertEquals(SeccompCache.MAX_ENTRIES, entries.count());
        }
    }
}
