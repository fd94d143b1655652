/**
 * seccomp-bpf without libseccomp: {@link dev.canal.runtime.seccomp.SeccompCompiler} turns
 * config.json's {@code linux.seccomp} into a classic BPF {@link dev.canal.runtime.seccomp.SeccompProgram}
 * for seccomp(2), per x86 ABI (x86_64, i386, x32) from syscall tables generated from the kernel
 * headers. docs/seccomp.md walks through a compiled program.
 */
package dev.canal.runtime.seccomp;
