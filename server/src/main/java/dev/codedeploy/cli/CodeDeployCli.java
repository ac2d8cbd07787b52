package dev.codedeploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator CLI, {@code codedeploy}: {@code server} and {@code worker} run the control plane from a server's
 * configuration; the client commands ({@code deploy}, {@code follow}, {@code status}, {@code cancel}, {@code rollback},
 * {@code pause}, {@code resume}, {@code lock}, {@code unlock}) go through a server's API with a URL and a token.
 * Exit codes: 0 success, 1 the operation failed (a build failed, a deploy rolled back), 2 bad usage or input, 3 timed
 * out, 4 cancelled.
 */
@Command(name = "codedeploy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Build a commit once, replicate it to every region, and roll it out to the hosts.",
        subcommands = {ServerCommand.class, DeployCommand.class, FollowCommand.class, StatusCommand.class, CancelCommand.class,
                EnvironmentCommands.Rollback.class,
                EnvironmentCommands.Pause.class, EnvironmentCommands.Resume.class, EnvironmentCommands.Lock.class,
                EnvironmentCommands.Unlock.class, WorkerCommand.class, ReplicationCommand.class, TokensCommand.class, KeysCommand.class, ConfigCheckCommand.class,
                HostsCommand.class})
public final class CodeDeployCli {

    /** Success. */
    public static final int OK = 0;
    /** The operation ran and failed. */
    public static final int FAILED = 1;
    /** Bad usage, configuration or input. */
    public static final int USAGE = 2;
    /** A wait timed out. */
    public static final int TIMED_OUT = 3;
    /** Cancelled. */
    public static final int CANCELLED = 4;

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for embedding and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CodeDeployCli());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setExitCodeExceptionMapper(ErrorHandler::exitCode);
        return cli;
    }
}
