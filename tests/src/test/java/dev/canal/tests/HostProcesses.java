package dev.canal.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Processes on the host found by their command line, for what a test's commands may leave running. */
final class HostProcesses {

    private HostProcesses() {}

    /**
     * Every process but this JVM with {@code directory} in its arguments: what a test's commands
     * started with paths under it, including a container's process held before exec (a copy of
     * the JVM that created it, its arguments included).
     */
    static List<ProcessHandle> naming(Path directory) {
        String needle = directory.toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> commandLine(process).contains(needle))
                .toList();
    }

    /** /proc/PID/cmdline with the NULs between arguments as spaces; empty for a process gone meanwhile. */
    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(
                            Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
