package dev.canal.benchmarks;

/** The least a JVM start does: the baseline of the start-time gate ({@link StartTimeCheck}). */
public final class HelloWorld {

    private HelloWorld() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
