package dev.canal.daemon;

@FunctionalInterface
interface Endpoint {
    void handle(Exchange var1) throws Exception;
}
