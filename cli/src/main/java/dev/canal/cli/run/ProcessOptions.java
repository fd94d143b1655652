package dev.canal.cli.run;

import dev.canal.engine.Environment;
import dev.canal.runtime.sys.TerminalModes;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options {@code docker run} and {@code docker exec} share (a picocli mixin): the process's
 * standard input and terminal ({@code -i}, {@code -t}), environment ({@code -e}), user
 * ({@code -u}) and working directory ({@code -w}).
 */
final class ProcessOptions {

    @Option(
            names = {"-i", "--interactive"},
            description = "Pass standard input to the process (else it reads /dev/null).")
    boolean interactive;

    @Option(
            names = {"-t", "--tty"},
            description = "Give the process a terminal.")
    boolean tty;

    @Option(
            names = {"-e", "--env"},
            paramLabel = "NAME[=VALUE]",
            description = "Set an environment variable; NAME alone copies canal's.")
    List<String> env = List.of();

    @Option(
            names = {"-u", "--user"},
            paramLabel = "USER[:GROUP]",
            description = "Run as this user (name or uid) and group.")
    String user;

    @Option(
            names = {"-w", "--workdir"},
            paramLabel = "DIR",
            description = "The working directory inside the container.")
    String workdir;

    /**
     * Whether {@code -it} is refused, as docker refuses it when canal's input is not a terminal:
     * it would copy a terminal's keys in. Says so on {@code err}.
     */
    boolean refuseInputThatIsNoTerminal(PrintWriter err) {
        return refuseInputThatIsNoTerminal(interactive, tty, err);
    }

    /** The same rule for a container's own {@code -i} and {@code -t} ({@code canal start -ai}). */
    static boolean refuseInputThatIsNoTerminal(boolean interactive, boolean tty, PrintWriter err) {
        if (interactive && tty && !TerminalModes.isTerminal(0)) {
            err.println("canal: the input device is not a TTY");
            err.flush();
            return true;
        }
        return false;
    }

    /**
     * The environment as the docker CLI sends it: {@code fileLines} ({@code --env-file}) then
     * {@code -e}; {@code NAME} alone takes canal's own value, or is left out if canal has none.
     */
    List<String> environment(List<String> fileLines) {
        return Environment.empty()
                .withOptions(fileLines, System.getenv(), "--env-file")
                .withOptions(env, System.getenv(), "-e")
                .toList();
    }

    /** With {@code -t}, the caller's terminal size as {@code [rows, columns]}; otherwise none. */
    List<Integer> consoleSize() {
        TerminalModes.Size size = tty ? TerminalSession.callerSize() : new TerminalModes.Size(0, 0);
        return size.rows() > 0 ? List.of(size.rows(), size.columns()) : null;
    }
}
