package dev.codedeploy.cli;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.Job;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codedeploy cancel ID} (a deploy) or {@code codedeploy cancel --job JOB} (a build). */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a deploy: before its build runs at once, later at its conductor's next step (a rollout in progress",
                "is rolled back). With --job: cancel a build job (queued at once, running at its worker's next heartbeat).",
                "Exit codes: 0 cancelled or cancel requested, 1 already finished, 2 no such deploy or job."})
final class CancelCommand implements Callable<Integer> {

    @Mixin
    ClientOption connection;

    @Parameters(index = "0", paramLabel = "ID", description = "The deploy id, or the job id with --job.")
    long id;

    @Option(names = "--job", description = "ID is a build job, not a deploy.")
    boolean job;

    @Option(names = "--reason", description = "Why, for the history.")
    String reason;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CodeDeployClient client = connection.client();
        if (job) {
            Job cancelled = client.cancelJob(id, reason);
            out.println("job " + id + ": " + ("CANCELLED".equals(cancelled.status()) ? "cancelled"
                    : "running; its worker stops at the next heartbeat"));
        } else {
            Deploy cancelled = client.cancel(id, reason);
            out.println("deploy " + id + ": " + (cancelled.isFinal() ? cancelled.state() + (cancelled.error() == null ? "" : ": " + cancelled.error())
                    : "cancel requested; its conductor stops it at its next step (codedeploy follow " + id + " shows it)"));
        }
        out.flush();
        return CodeDeployCli.OK;
    }
}
