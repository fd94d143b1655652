package dev.canal.engine.build;

/**
 * Where a build reports what it does: docker's classic builder output, one piece of text at a
 * time ({@code "Step 1/4 : FROM busybox\n"}, {@code " ---> Using cache\n"}, a RUN's output as it
 * comes). canald sends each as {@code {"stream": TEXT}}; {@code canal build} prints it.
 */
public interface BuildLog {

    void text(String text);
}
