package dev.codedeploy.cli;

import dev.codedeploy.client.Rollout;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The commands that act on one environment's rollout through the API: rollback, pause, resume (a deploy token),
 * lock and unlock (an admin token). The audit records the token's name.
 */
final class EnvironmentCommands {

    private EnvironmentCommands() {
    }

    /** {@code codedeploy rollback ENV}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Roll an environment back to the build it ran before; the hosts go back in one step.")
    static final class Rollback implements Callable<Integer> {
        @Mixin ClientOption connection;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Option(names = "--reason", required = true, description = "Why, for the history.") String reason;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Rollout.Release release = connection.client().rollback(environment, reason).release();
            spec.commandLine().getOut().println(environment + " rolls back to build " + release.buildId() + " (" + release.sha()
                    + "), release version " + release.version());
            return CodeDeployCli.OK;
        }
    }

    /** {@code codedeploy pause ENV}. */
    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a rollout: no further wave opens.")
    static final class Pause implements Callable<Integer> {
        @Mixin ClientOption connection;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Rollout rollout = connection.client().pause(environment, null);
            spec.commandLine().getOut().println(environment + " paused at " + rollout.release().openPercent() + "% of the hosts");
            return CodeDeployCli.OK;
        }
    }

    /** {@code codedeploy resume ENV}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused rollout.")
    static final class Resume implements Callable<Integer> {
        @Mixin ClientOption connection;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            connection.client().resume(environment, null);
            spec.commandLine().getOut().println(environment + " resumed");
            return CodeDeployCli.OK;
        }
    }

    /** {@code codedeploy lock ENV}. */
    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = "Lock an environment (or freeze it until a time): deploys to it are refused until unlocked.")
    static final class Lock implements Callable<Integer> {
        @Mixin ClientOption connection;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Option(names = "--reason", required = true, description = "Why, shown to whoever tries to deploy.") String reason;
        @Option(names = "--until", paramLabel = "ISO-8601", description = "Freeze until this instant, e.g. 2026-12-27T08:00:00Z.")
        Instant until;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            Rollout.Lock lock = connection.client().lock(environment, reason, until).lock();
            spec.commandLine().getOut().println(environment + ": " + (lock.until() == null ? "locked" : "frozen until " + lock.until())
                    + " by " + lock.actor() + ": " + lock.reason());
            return CodeDeployCli.OK;
        }
    }

    /** {@code codedeploy unlock ENV}. */
    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = {"Remove the lock or freeze of an environment.", "Exit codes: 0 unlocked, 1 it was not locked."})
    static final class Unlock implements Callable<Integer> {
        @Mixin ClientOption connection;
        @Parameters(index = "0", paramLabel = "ENV") String environment;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            connection.client().unlock(environment, null);
            spec.commandLine().getOut().println(environment + " unlocked");
            return CodeDeployCli.OK;
        }
    }
}
