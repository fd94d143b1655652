package dev.canal.daemon;

/**
 * One operation of the API, bound to a method and path in {@link Routes}. What it throws becomes
 * docker's error answer in {@link ApiHandler}, unless it has started answering.
 */
@FunctionalInterface
interface Endpoint {
    void handle(Exchange exchange) throws Exception;
}
