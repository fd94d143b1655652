package dev.canal.cli.oci;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * How a failed command reports: one line on standard error, {@code canal-oci: <what went
 * wrong>}, exit status 1; and, with {@code --log}, the same message in the log, as a
 * {@code {"level":"error","msg":...,"time":...}} line with {@code --log-format json}, which is
 * what conmon and containerd's shim read when a runtime fails. picocli calls it as its execution
 * exception handler; {@link QuickCommands} calls it directly, without loading picocli.
 */
final class ErrorReport {

    private final CanalOciCommand global;

    ErrorReport(CanalOciCommand global) {
        this.global = global;
    }

    /** Reports {@code error} on {@code err} (standard error) and in the log; returns the exit status. */
    int report(Exception error, PrintWriter err) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        err.println("canal-oci: " + message);
        err.flush();
        if (global.log != null) {
            writeLog(message);
        }
        return 1;
    }

    private void writeLog(String message) {
        String line = "json".equals(global.logFormat)
                ? "{\"level\":\"error\",\"msg\":" + jsonString(message) + ",\"time\":\"" + Instant.now() + "\"}\n"
                : "time=\"" + Instant.now() + "\" level=error msg=" + jsonString(message) + "\n";
        try {
            Files.writeString(
                    global.log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("canal-oci: cannot write the log " + global.log + ": " + e.getMessage());
        }
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String jsonString(String text) {
        var json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
