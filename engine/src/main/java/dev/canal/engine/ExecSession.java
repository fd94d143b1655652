package dev.canal.engine;

import dev.canal.runtime.sys.OwnedFd;
import java.util.concurrent.CompletableFuture;

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
        return this.id;
    }

    public String containerId() {
        return this.containerId;
    }

    public ExecSpec spec() {
        return this.spec;
    }

    public int pid() {
        return this.pid;
    }

    public boolean running() {
        return this.started && !this.exit.isDone();
    }

    public Integer exitCode() {
        return this.exit.isDone() ? this.exit.join() : null;
    }

    public CompletableFuture<Integer> exit() {
        return this.exit;
    }

    public OwnedFd input() {
        return this.input;
    }

    public OwnedFd terminal() {
        return this.terminal;
    }

    synchronized void markStarted() {
        if (this.started) {
            throw new ConflictException("Error: Exec command " + this.id + " has already run");
        }

        this.started = true;
    }

    void running(int processId, OwnedFd master, OwnedFd stdin) {
        this.pid = processId;
        this.terminal = master;
        this.input = stdin;
    }
}
