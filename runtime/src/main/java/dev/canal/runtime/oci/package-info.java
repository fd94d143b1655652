/**
 * The OCI runtime-spec v1.2.1 {@code config.json} as Java records: reading it with clear errors,
 * validating it, writing it back, and the default that {@code runc spec} prints.
 *
 * <p>How the model maps JSON, once for every record here:
 * <ul>
 *   <li>Record components carry the JSON names exactly ({@code containerID}, {@code blockIO}), so
 *       the spec's documents, runc's Go structs and this code read alike.
 *   <li>An absent object or scalar is {@code null}; an absent array or map is empty, never
 *       {@code null}. Numbers the spec requires and Go always writes ({@code uid}, {@code size},
 *       {@code pids.limit}) are primitives and read as 0 when absent, as in runc.
 *   <li>{@code uint64} fields are {@code Long}s holding all 64 bits: {@code RLIM_INFINITY}
 *       (18446744073709551615) reads as {@code -1L}, the same bits C sees. Compare them with
 *       {@link java.lang.Long#compareUnsigned}. {@code int64} fields are plain signed longs, where
 *       the spec uses -1 for "unlimited" ({@code memory.limit}, {@code memory.swap}).
 *   <li>Every object keeps the properties this model does not name in {@code unknownFields} and
 *       writes them back after the known ones, so a newer spec's fields or a tool's extensions
 *       survive a read and a write (config.md#extensibility: runtimes must ignore unknown
 *       properties, not reject them).
 *   <li>Writing leaves out nulls and empty arrays and maps, like Go's {@code omitempty}, and
 *       indents with tabs like {@code runc spec}.
 * </ul>
 */
package dev.canal.runtime.oci;
