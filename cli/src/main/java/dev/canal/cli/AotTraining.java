package dev.canal.cli;

import dev.canal.cli.oci.CanalOciCommand;
import dev.canal.runtime.oci.DefaultSpec;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.oci.SpecValidator;
import dev.canal.runtime.seccomp.SeccompCompiler;
import dev.canal.runtime.spawn.clone.CloneSpawner;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The training run for the JDK's ahead-of-time cache (JEP 483/514), run at package time with
 * {@code -XX:AOTCacheOutput}. It executes the commands people run most, in one JVM and without
 * side effects, so the classes they load and link are stored in the cache and a later start
 * maps them instead of loading them again.
 */
public final class AotTraining {

    private AotTraining() {}

    public static void main(String[] args) {
        for (String[] command : new String[][] {{"--version"}, {"--help"}, {}}) {
            train(CanalCommand.commandLine(), command);
            train(new CommandLine(new CanalOciCommand()), command);
        }
        Spec spec = Spec.parse(DefaultSpec.create(false).toJson());
        SpecValidator.requireValid(spec, "config.json");
        SeccompCompiler.compile(spec.linux().seccomp());
        CloneSpawner.warmUp();
    }

    private static void train(CommandLine commandLine, String[] args) {
        var sink = new PrintWriter(new StringWriter());
        commandLine.setOut(sink).setErr(sink).execute(args);
    }
}
