package dev.canal.runtime.cgroup.v2.devices;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.CgroupException;
import dev.canal.runtime.sys.CStrings;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Syscall;
import dev.canal.runtime.sys.SyscallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * bpf(2) for a cgroup device program: BPF_PROG_LOAD hands the instructions to the verifier and
 * returns a program descriptor; BPF_PROG_ATTACH attaches it to a cgroup directory descriptor as
 * its BPF_CGROUP_DEVICE program.
 *
 * <p>glibc has no bpf() wrapper and the generated bindings have no {@code union bpf_attr}, so
 * the two members used here are laid out by hand from include/uapi/linux/bpf.h. The union is
 * passed with its size; the kernel zero-extends a shorter one, so only the fields up to the last
 * one used are given.
 */
final class Bpf {

    // enum bpf_cmd, enum bpf_prog_type and enum bpf_attach_type in linux/bpf.h.
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int BPF_CGROUP_DEVICE = 6;
    /** Verifier log level 1: the reason a program was refused. */
    private static final int LOG_LEVEL = 1;

    private static final int LOG_SIZE = 64 * 1024;

    /** The BPF_PROG_LOAD member of union bpf_attr, up to expected_attach_type (linux/bpf.h). */
    private static final StructLayout PROG_LOAD = MemoryLayout.structLayout(
            JAVA_INT.withName("prog_type"),
            JAVA_INT.withName("insn_cnt"),
            JAVA_LONG.withName("insns"), // __aligned_u64, a pointer to struct bpf_insn[]
            JAVA_LONG.withName("license"), // __aligned_u64, a pointer to a C string
            JAVA_INT.withName("log_level"),
            JAVA_INT.withName("log_size"),
            JAVA_LONG.withName("log_buf"),
            JAVA_INT.withName("kern_version"),
            JAVA_INT.withName("prog_flags"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("prog_name"),
            JAVA_INT.withName("prog_ifindex"),
            JAVA_INT.withName("expected_attach_type"));

    /** The BPF_PROG_ATTACH member of union bpf_attr, up to attach_flags (linux/bpf.h). */
    private static final StructLayout PROG_ATTACH = MemoryLayout.structLayout(
            JAVA_INT.withName("target_fd"),
            JAVA_INT.withName("attach_bpf_fd"),
            JAVA_INT.withName("attach_type"),
            JAVA_INT.withName("attach_flags"));

    private static final VarHandle LOAD_PROG_TYPE = field(PROG_LOAD, "prog_type");
    private static final VarHandle LOAD_INSN_CNT = field(PROG_LOAD, "insn_cnt");
    private static final VarHandle LOAD_INSNS = field(PROG_LOAD, "insns");
    private static final VarHandle LOAD_LICENSE = field(PROG_LOAD, "license");
    private static final VarHandle LOAD_LOG_LEVEL = field(PROG_LOAD, "log_level");
    private static final VarHandle LOAD_LOG_SIZE = field(PROG_LOAD, "log_size");
    private static final VarHandle LOAD_LOG_BUF = field(PROG_LOAD, "log_buf");
    private static final VarHandle LOAD_ATTACH_TYPE = field(PROG_LOAD, "expected_attach_type");
    private static final VarHandle ATTACH_TARGET = field(PROG_ATTACH, "target_fd");
    private static final VarHandle ATTACH_PROGRAM = field(PROG_ATTACH, "attach_bpf_fd");
    private static final VarHandle ATTACH_TYPE = field(PROG_ATTACH, "attach_type");

    private Bpf() {}

    private static VarHandle field(StructLayout layout, String name) {
        return layout.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    /** BPF_PROG_LOAD of a BPF_PROG_TYPE_CGROUP_DEVICE program; a refusal carries the verifier's log. */
    static OwnedFd loadDeviceProgram(DeviceFilterProgram program) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(PROG_LOAD);
            MemorySegment log = arena.allocate(LOG_SIZE);
            LOAD_PROG_TYPE.set(attr, 0L, BPF_PROG_TYPE_CGROUP_DEVICE);
            LOAD_INSN_CNT.set(attr, 0L, program.length());
            LOAD_INSNS.set(
                    attr, 0L, arena.allocateFrom(JAVA_BYTE, program.bytes()).address());
            LOAD_LICENSE.set(
                    attr,
                    0L,
                    CStrings.allocate(arena, DeviceFilterProgram.LICENSE).address());
            LOAD_LOG_LEVEL.set(attr, 0L, LOG_LEVEL);
            LOAD_LOG_SIZE.set(attr, 0L, LOG_SIZE);
            LOAD_LOG_BUF.set(attr, 0L, log.address());
            LOAD_ATTACH_TYPE.set(attr, 0L, BPF_CGROUP_DEVICE);
            try {
                long fd = Syscall.call(
                        "bpf", "BPF_PROG_LOAD", linux_h.SYS_bpf(), BPF_PROG_LOAD, attr.address(), PROG_LOAD.byteSize());
                return OwnedFd.adopt((int) fd);
            } catch (SyscallException e) {
                String verifier =
                        log.getString(0, StandardCharsets.UTF_8).strip().replace('\n', ' ');
                throw new CgroupException(
                        "loading the device filter: " + e.getMessage()
                                + (verifier.isEmpty() ? "" : "; verifier: " + verifier),
                        e);
            }
        }
    }

    /**
     * BPF_PROG_ATTACH as the cgroup's device program. No flags: the cgroup holds one device
     * program, and attaching again replaces it, which is what an update needs.
     */
    static void attachDeviceProgram(OwnedFd cgroupDirectory, OwnedFd program) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(PROG_ATTACH);
            ATTACH_TARGET.set(attr, 0L, cgroupDirectory.fd());
            ATTACH_PROGRAM.set(attr, 0L, program.fd());
            ATTACH_TYPE.set(attr, 0L, BPF_CGROUP_DEVICE);
            Syscall.call(
                    "bpf",
                    "BPF_PROG_ATTACH",
                    linux_h.SYS_bpf(),
                    BPF_PROG_ATTACH,
                    attr.address(),
                    PROG_ATTACH.byteSize());
        }
    }
}
