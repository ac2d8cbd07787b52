package dev.codedeploy.cli;

import dev.codedeploy.CodeDeploy;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option every command that talks to the system shares, and who is asking. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Configuration file (YAML; ${ENV} substituted). See docs/configuration.md.")
    Path file;

    @Option(names = "--as", paramLabel = "NAME", description = "Who is asking, for the history (default: the OS user).")
    String actor;

    /** Opens the facade. */
    CodeDeploy open() {
        return CodeDeploy.open(file);
    }

    /** The actor. */
    String actor() {
        return actor == null || actor.isBlank() ? System.getProperty("user.name", "unknown") : actor;
    }
}
