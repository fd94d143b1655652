package dev.canal.engine.build;

/**
 * One {@code key=value} of ENV, LABEL or ARG. ARG's value is null when the declaration has no
 * default ({@code ARG NAME}).
 */
public record KeyValue(String key, String value) {}
