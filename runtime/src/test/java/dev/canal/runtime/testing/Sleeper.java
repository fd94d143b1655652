package dev.canal.runtime.testing;

import java.io.IOException;

/**
 * A sleep(1) child for tests that signal it and read from its exit status which signal ended it.
 * It starts with every signal's default action: a signal ignored in the test's JVM stays ignored
 * in a child across fork(2) and execve(2) (signal(7)), so a test run under nohup(1) would give a
 * plain ProcessBuilder child an ignored SIGHUP, and that child would outlive the SIGHUP meant to
 * end it. coreutils' {@code env --default-signal} resets them all, then execs sleep.
 */
public final class Sleeper {

    private Sleeper() {}

    /** Starts {@code sleep seconds} with default signal actions. */
    public static Process start(int seconds) throws IOException {
        return new ProcessBuilder("env", "--default-signal", "sleep", Integer.toString(seconds)).start();
    }
}
