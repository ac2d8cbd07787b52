package dev.codedeploy.cli;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.release.Release;
import dev.codedeploy.rollout.DeployLock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The commands that act on one environment's rollout: rollback, pause, resume, lock, unlock. */
final class EnvironmentCommands {

    private EnvironmentCommands() {
    }

    /** {@code codedeploy rollback ENV}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Roll an environment back to the build it ran before; the hosts go back in one step.")
    static final class Rollback implements Callable<Integer> {
        @Mixin ConfigOption config;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Option(names = "--reason", required = true, description = "Why, for the history.") String reason;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (CodeDeploy codeDeploy = config.open()) {
                Release release = codeDeploy.rollback(environment, config.actor(), reason);
                spec.commandLine().getOut().println(environment + " rolls back to build " + release.buildId() + " (" + release.sha()
                        + "), release version " + release.version());
                return CodeDeployCli.OK;
            }
        }
    }

    /** {@code codedeploy pause ENV}. */
    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a rollout: no further wave opens.")
    static final class Pause implements Callable<Integer> {
        @Mixin ConfigOption config;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (CodeDeploy codeDeploy = config.open()) {
                Release release = codeDeploy.pause(environment, config.actor());
                spec.commandLine().getOut().println(environment + " paused at " + release.openPercent() + "% of the hosts");
                return CodeDeployCli.OK;
            }
        }
    }

    /** {@code codedeploy resume ENV}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused rollout.")
    static final class Resume implements Callable<Integer> {
        @Mixin ConfigOption config;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (CodeDeploy codeDeploy = config.open()) {
                codeDeploy.resume(environment, config.actor());
                spec.commandLine().getOut().println(environment + " resumed");
                return CodeDeployCli.OK;
            }
        }
    }

    /** {@code codedeploy lock ENV}. */
    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = "Lock an environment (or freeze it until a time): publishing is refused unless forced with a reason.")
    static final class Lock implements Callable<Integer> {
        @Mixin ConfigOption config;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Option(names = "--reason", required = true, description = "Why, shown to whoever tries to deploy.") String reason;
        @Option(names = "--until", paramLabel = "ISO-8601", description = "Freeze until this instant, e.g. 2026-12-27T08:00:00Z.")
        Instant until;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (CodeDeploy codeDeploy = config.open()) {
                DeployLock lock = until == null ? codeDeploy.lock(environment, config.actor(), reason)
                        : codeDeploy.freeze(environment, config.actor(), reason, until);
                spec.commandLine().getOut().println(environment + ": " + lock.describe());
                return CodeDeployCli.OK;
            }
        }
    }

    /** {@code codedeploy unlock ENV}. */
    @Command(name = "unlock", mixinStandardHelpOptions = true, description = "Remove the lock or freeze of an environment.")
    static final class Unlock implements Callable<Integer> {
        @Mixin ConfigOption config;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (CodeDeploy codeDeploy = config.open()) {
                boolean removed = codeDeploy.unlock(environment, config.actor());
                spec.commandLine().getOut().println(environment + (removed ? " unlocked" : " was not locked"));
                return removed ? CodeDeployCli.OK : CodeDeployCli.FAILED;
            }
        }
    }
}
