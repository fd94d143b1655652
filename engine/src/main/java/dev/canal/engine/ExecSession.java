package dev.canal.engine;

import dev.canal.runtime.sys.OwnedFd;
import java.util.concurrent.CompletableFuture;

/**
 * One exec instance of the Engine API: made by {@code POST /containers/{id}/exec}, started once
 * by {@code POST /exec/{id}/start}, inspected by {@code GET /exec/{id}/json} (Running, Pid,
 * ExitCode). The process's handles are set when it starts ({@link ExecProcess}).
 */
public final class ExecSession {

    private final String id;
    private final String containerId;
    private final ExecSpec spec;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile int pid;
    private volatile OwnedFd terminal;
    private volatile OwnedFd input;
    private volatile boolean started;

    ExecSession(String id, String containerId, ExecSpec spec) {
        this.id = id;
        this.containerId = containerId;
        this.spec = spec;
    }

    public String id() {
        return id;
    }

    public String containerId() {
        return containerId;
    }

    public ExecSpec spec() {
        return spec;
    }

    public int pid() {
        return pid;
    }

    public boolean running() {
        return started && !exit.isDone();
    }

    /** The exit status once it has exited, else null. */
    public Integer exitCode() {
        return exit.isDone() ? exit.join() : null;
    }

    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** Where the client's input goes: the stdin pipe or the terminal, null without -i. */
    public OwnedFd input() {
        return input;
    }

    /** The terminal's master side with -t, for resizing; else null. */
    public OwnedFd terminal() {
        return terminal;
    }

    /** An exec runs once: a second start is dockerd's 409. */
    synchronized void markStarted() {
        if (started) {
            throw new ConflictException("Error: Exec command " + id + " has already run");
        }
        started = true;
    }

    void running(int processId, OwnedFd master, OwnedFd stdin) {
        pid = processId;
        terminal = master;
        input = stdin;
    }
}
