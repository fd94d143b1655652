package dev.canal.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.oci.Seccomp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the same filter with libseccomp, the library runc and crun use: a C program written
 * for the profile, compiled with gcc at test time against libseccomp-dev, adds the rules through
 * seccomp_rule_add_array(3) and writes the BPF with seccomp_export_bpf(3).
 *
 * <p>Like runc, the program skips names libseccomp cannot resolve and rules whose action is the
 * default (libseccomp refuses those with EACCES); it lists the names it skipped, so that the test
 * can compare with Canal's filter for the profile without them.
 */
final class LibseccompReference {

    /** What libseccomp made of a profile. */
    record Result(List<ClassicBpfInstruction> program, List<String> unknownNames) {}

    private LibseccompReference() {}

    static Result build(Seccomp profile, Path work) throws IOException, InterruptedException {
        var c = new StringBuilder("""
                #include <errno.h>
                #include <fcntl.h>
                #include <seccomp.h>
                #include <stdio.h>
                static int add(scmp_filter_ctx ctx, const char *name, uint32_t action, unsigned int count,
                               const struct scmp_arg_cmp *args) {
                  int nr = seccomp_syscall_resolve_name(name);
                  if (nr == __NR_SCMP_ERROR) { printf("unknown %s\\n", name); return 0; }
                  int rc = seccomp_rule_add_array(ctx, action, nr, count, args);
                  if (rc != 0 && rc != -EACCES) { printf("error %s %d\\n", name, rc); return 1; }
                  return 0;
                }
                int main(int argc, char **argv) {
                """);
        c.append("  scmp_filter_ctx ctx = seccomp_init(%s);\n"
                .formatted(action(profile.defaultAction(), profile.defaultErrnoRet())));
        c.append("  if (ctx == NULL) return 2;\n  int failed = 0;\n");
        for (String arch : profile.architectures()) {
            c.append("  seccomp_arch_add(ctx, %s);\n".formatted(arch));
        }
        for (Seccomp.Syscall rule : profile.syscalls()) {
            c.append("  {\n    struct scmp_arg_cmp args[] = {");
            for (Seccomp.Arg arg : rule.args()) {
                c.append("{%d, %s, %sULL, %sULL}, "
                        .formatted(
                                arg.index(),
                                arg.op(),
                                Long.toUnsignedString(arg.value()),
                                Long.toUnsignedString(arg.valueTwo() == null ? 0 : arg.valueTwo())));
            }
            c.append("{0}};\n");
            for (String name : rule.names()) {
                c.append("    failed |= add(ctx, \"%s\", %s, %d, args);\n"
                        .formatted(
                                name,
                                action(rule.action(), rule.errnoRet()),
                                rule.args().size()));
            }
            c.append("  }\n");
        }
        c.append("""
                  if (failed) return 1;
                  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
                  return fd < 0 || seccomp_export_bpf(ctx, fd) != 0 ? 3 : 0;
                }
                """);
        Path source = Files.writeString(work.resolve("reference.c"), c);
        Path binary = work.resolve("reference");
        Path bpf = work.resolve("reference.bpf");
        run(List.of("gcc", "-o", binary.toString(), source.toString(), "-lseccomp"));
        List<String> unknown = new ArrayList<>();
        for (String line :
                run(List.of(binary.toString(), bpf.toString())).lines().toList()) {
            unknown.add(line.substring("unknown ".length()));
        }
        return new Result(read(Files.readAllBytes(bpf)), unknown);
    }

    private static String action(String name, Long errnoRet) {
        long data = errnoRet == null ? 1 : errnoRet;
        return switch (name) {
            case "SCMP_ACT_ERRNO" -> "SCMP_ACT_ERRNO(" + data + ")";
            case "SCMP_ACT_TRACE" -> "SCMP_ACT_TRACE(" + data + ")";
            default -> name;
        };
    }

    /** struct sock_filter[] in the machine's byte order: u16 code, u8 jt, u8 jf, u32 k. */
    private static List<ClassicBpfInstruction> read(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        var program = new ArrayList<ClassicBpfInstruction>();
        while (buffer.hasRemaining()) {
            program.add(new ClassicBpfInstruction(
                    buffer.getShort(),
                    Byte.toUnsignedInt(buffer.get()),
                    Byte.toUnsignedInt(buffer.get()),
                    buffer.getInt()));
        }
        return program;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
