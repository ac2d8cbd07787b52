package dev.codedeploy.cli;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.queue.CancelResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codedeploy cancel JOB}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a build job: a queued one at once, a running one at its worker's next heartbeat.",
                "Exit codes: 0 cancelled or cancel requested, 1 already finished, 2 no such job."})
final class CancelCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    long jobId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (CodeDeploy codeDeploy = config.open()) {
            CancelResult result = codeDeploy.cancel(jobId, config.actor());
            spec.commandLine().getOut().println("job " + jobId + ": " + switch (result) {
                case CANCELLED -> "cancelled";
                case CANCEL_REQUESTED -> "running; its worker stops at the next heartbeat";
                case ALREADY_FINISHED -> "already finished, nothing to cancel";
                case NOT_FOUND -> "no such job";
            });
            return switch (result) {
                case CANCELLED, CANCEL_REQUESTED -> CodeDeployCli.OK;
                case ALREADY_FINISHED -> CodeDeployCli.FAILED;
                case NOT_FOUND -> CodeDeployCli.USAGE;
            };
        }
    }
}
