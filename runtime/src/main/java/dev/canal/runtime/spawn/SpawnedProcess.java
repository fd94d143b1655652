package dev.canal.runtime.spawn;

import java.util.concurrent.CompletableFuture;

/**
 * A container's first process, created and held before execve(2) until its {@link ExecFifo} is
 * released.
 *
 * @param pid    its pid, as the host sees it
 * @param engine the engine that created it
 * @param exec   completes when the process has called execve(2) (normally), or exceptionally
 *               with why it could not; only observable in the JVM that created it
 */
public record SpawnedProcess(int pid, SpawnEngine engine, CompletableFuture<Void> exec) {}
