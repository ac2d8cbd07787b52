package dev.codedeploy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code codedeploy args...} in this JVM, keeping what it prints, for commands that need no server. */
final class CliRun {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Runs the command and returns its exit code; its output adds to {@link #out} and {@link #err}. */
    int run(String... args) {
        CommandLine cli = CodeDeployCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
