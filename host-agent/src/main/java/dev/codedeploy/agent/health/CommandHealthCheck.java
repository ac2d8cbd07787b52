package dev.codedeploy.agent.health;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Healthy when a command exits with 0 within its timeout. */
public final class CommandHealthCheck implements HealthCheck {

    private final List<String> argv;
    private final Path folder;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final Path log;

    /** Runs {@code argv} in {@code folder}, output appended to {@code log}. */
    public CommandHealthCheck(List<String> argv, Path folder, Map<String, String> environment, Duration timeout, Path log) {
        this.argv = List.copyOf(argv);
        this.folder = folder;
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
        this.log = log;
    }

    @Override
    public Result attempt() {
        CommandRunner.Outcome outcome = CommandRunner.run(argv, folder, environment, timeout, log);
        return new Result(outcome.succeeded(), outcome.describe());
    }

    @Override
    public String describe() {
        return "command " + argv;
    }
}
