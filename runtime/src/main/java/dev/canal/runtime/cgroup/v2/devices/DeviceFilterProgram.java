package dev.canal.runtime.cgroup.v2.devices;

import dev.canal.runtime.oci.Resources;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The eBPF program that replaces the v1 devices controller on cgroup v2
 * (BPF_PROG_TYPE_CGROUP_DEVICE, Documentation/admin-guide/cgroup-v2.rst "Device controller").
 * The kernel runs it on every open(2) and mknod(2) of a device file by a process in the cgroup,
 * with a pointer to {@code struct bpf_cgroup_dev_ctx} in r1 (linux/bpf.h):
 *
 * <pre>
 *   u32 access_type;  // (access &lt;&lt; 16) | type; access: 1 mknod, 2 read, 4 write; type: 1 block, 2 char
 *   u32 major;
 *   u32 minor;
 * </pre>
 *
 * and allows the access when it returns 1, refuses it (EPERM) when it returns 0.
 *
 * <p>The program follows runc's and crun's shape: a prologue loads type into r2, access into r3,
 * major into r4 and minor into r5; then one block per rule, last rule first, each a series of
 * "if this field does not match, jump to the next block" checks ending in "r0 = allow; exit";
 * a final block returns the default. The rules are reduced as youki does: a rule for all
 * devices ("a *:* rwm") forgets every rule before it and sets the default, so the v1 habit of
 * "deny all, then allow these" gives a deny-by-default program with one allow block per device.
 */
public final class DeviceFilterProgram {

    /** The license the program declares to the verifier, as crun and runc do. */
    public static final String LICENSE = "Apache";

    private static final int R0 = 0;
    private static final int R1 = 1;
    private static final int TYPE = 2;
    private static final int ACCESS = 3;
    private static final int MAJOR = 4;
    private static final int MINOR = 5;
    // BPF_DEVCG_DEV_* and BPF_DEVCG_ACC_* of linux/bpf.h.
    private static final int DEV_BLOCK = 1;
    private static final int DEV_CHAR = 2;
    private static final int ACC_MKNOD = 1;
    private static final int ACC_READ = 2;
    private static final int ACC_WRITE = 4;
    private static final int ACC_ALL = ACC_MKNOD | ACC_READ | ACC_WRITE;
    /** A placeholder jump offset, "to the next block", fixed once the block's length is known. */
    private static final int NEXT_BLOCK = -1;

    private final List<EbpfInstruction> instructions;

    private DeviceFilterProgram(List<EbpfInstruction> instructions) {
        this.instructions = List.copyOf(instructions);
    }

    /** The program for {@code rules}, in the order the spec lists them. With no rule every device is allowed. */
    public static DeviceFilterProgram of(List<Resources.DeviceRule> rules) {
        boolean defaultAllow = true;
        var effective = new ArrayList<Resources.DeviceRule>();
        for (Resources.DeviceRule rule : rules) {
            if (matchesEverything(rule)) {
                effective.clear();
                defaultAllow = rule.allow();
            } else {
                effective.add(rule);
            }
        }
        var program = new ArrayList<EbpfInstruction>(List.of(
                EbpfInstruction.loadWord(TYPE, R1, 0),
                EbpfInstruction.and(TYPE, 0xFFFF),
                EbpfInstruction.loadWord(ACCESS, R1, 0),
                EbpfInstruction.shiftRight(ACCESS, 16),
                EbpfInstruction.loadWord(MAJOR, R1, 4),
                EbpfInstruction.loadWord(MINOR, R1, 8)));
        for (Resources.DeviceRule rule : effective.reversed()) {
            program.addAll(block(rule));
        }
        program.add(EbpfInstruction.move(R0, defaultAllow ? 1 : 0));
        program.add(EbpfInstruction.exit());
        return new DeviceFilterProgram(program);
    }

    private static boolean matchesEverything(Resources.DeviceRule rule) {
        return (rule.type() == null || rule.type().equals("a"))
                && wildcard(rule.major())
                && wildcard(rule.minor())
                && access(rule.access()) == ACC_ALL;
    }

    /** One rule: a jump to the next block for each field that does not match, then its verdict. */
    private static List<EbpfInstruction> block(Resources.DeviceRule rule) {
        var block = new ArrayList<EbpfInstruction>();
        if (rule.type() != null && !rule.type().equals("a")) {
            block.add(EbpfInstruction.jumpIfNotEqual(TYPE, rule.type().equals("b") ? DEV_BLOCK : DEV_CHAR, NEXT_BLOCK));
        }
        int access = access(rule.access());
        if (access != ACC_ALL) {
            // The requested access must be a subset of the rule's: (r3 & access) == r3; r1 is free after the prologue.
            block.add(EbpfInstruction.moveRegister(R1, ACCESS));
            block.add(EbpfInstruction.and(R1, access));
            block.add(EbpfInstruction.jumpIfNotEqualRegister(R1, ACCESS, NEXT_BLOCK));
        }
        if (!wildcard(rule.major())) {
            block.add(EbpfInstruction.jumpIfNotEqual(MAJOR, (int) (long) rule.major(), NEXT_BLOCK));
        }
        if (!wildcard(rule.minor())) {
            block.add(EbpfInstruction.jumpIfNotEqual(MINOR, (int) (long) rule.minor(), NEXT_BLOCK));
        }
        block.add(EbpfInstruction.move(R0, rule.allow() ? 1 : 0));
        block.add(EbpfInstruction.exit());
        // A jump's offset counts instructions after the next one: point each at the end of the block.
        for (int i = 0; i < block.size(); i++) {
            if (block.get(i).off() == NEXT_BLOCK) {
                block.set(i, block.get(i).withOffset(block.size() - i - 1));
            }
        }
        return block;
    }

    private static boolean wildcard(Long number) {
        return number == null || number == -1;
    }

    private static int access(String access) {
        if (access == null || access.isEmpty()) {
            return ACC_ALL;
        }
        int bits = 0;
        for (char c : access.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> ACC_READ;
                case 'w' -> ACC_WRITE;
                case 'm' -> ACC_MKNOD;
                default ->
                    throw new IllegalArgumentException("device access \"" + access + "\" may only hold r, w and m");
            };
        }
        return bits;
    }

    /** The instructions as the kernel reads them: {@code struct bpf_insn[]}. */
    public byte[] bytes() {
        ByteBuffer out = ByteBuffer.allocate(instructions.size() * EbpfInstruction.SIZE);
        instructions.forEach(instruction -> instruction.encode(out));
        return out.array();
    }

    public int length() {
        return instructions.size();
    }

    /** One numbered line per instruction, bpftool-style. */
    public String disassemble() {
        var lines = new ArrayList<String>();
        for (int i = 0; i < instructions.size(); i++) {
            lines.add(String.format("%3d: %s", i, instructions.get(i)));
        }
        return lines.stream().collect(Collectors.joining("\n", "", "\n"));
    }
}
