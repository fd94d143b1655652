package dev.canal.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** How a failed {@code canal} command reports: one line on standard error, {@code canal: <what went wrong>}, exit status 1. */
final class CanalErrorReport implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, ParseResult parseResult) {
        commandLine.getErr().println("canal: " + (error.getMessage() == null ? error.toString() : error.getMessage()));
        commandLine.getErr().flush();
        return 1;
    }
}
