package dev.canal.runtime.seccomp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One ABI's system call numbers by name, read from a resource that scripts/generate-syscall-tables
 * writes from the kernel's uapi headers (asm/unistd_64.h, unistd_32.h, unistd_x32.h) and, for calls
 * newer than those headers, scripts/syscalls-newer-than-headers.txt. A name's
 * number differs per ABI ({@code read} is 0 on x86_64, 3 on i386, 0x40000000 on x32), and some
 * calls exist on one ABI only ({@code socketcall} on i386, {@code arch_prctl} not on i386).
 */
final class SyscallTable {

    private final Map<String, Integer> numbers;
    private final int highest;

    private SyscallTable(Map<String, Integer> numbers) {
        this.numbers = Collections.unmodifiableMap(numbers);
        this.highest =
                numbers.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** Reads {@code resource} (lines of "name number") next to this class. */
    static SyscallTable load(String resource) {
        var numbers = new LinkedHashMap<String, Integer>();
        for (String line : SeccompResources.lines(resource)) {
            String[] fields = line.split(" ");
            numbers.put(fields[0], Integer.parseInt(fields[1]));
        }
        return new SyscallTable(numbers);
    }

    OptionalInt number(String name) {
        Integer number = numbers.get(name);
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    /** Every name and its number, in number order. */
    Map<String, Integer> numbers() {
        return numbers;
    }

    /** The largest number in the table: the newest call the table knows. */
    int highest() {
        return highest;
    }
}
