package dev.canal.benchmarks;

/** What the files a benchmark writes live on: see {@link WorkDirectory}. */
public enum Backing {
    /** A tmpfs: only the kernel's and Canal's own work, no disk. */
    TMPFS,
    /** The temporary directory's filesystem, with its journal and writeback (ext4 on the reference VM). */
    DISK
}
