package dev.codedeploy.cli;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.queue.CommitSha;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.replication.Replica;
import dev.codedeploy.rollout.RegionStatus;
import dev.codedeploy.rollout.RolloutStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codedeploy status [SHA|JOB]}: recent jobs, one commit's jobs, or one job with its replicas; and the rollout. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Without an argument: the newest jobs and the environment's rollout.",
                "With a SHA: that commit's jobs. With a job id: the job, its log and where each region's copy stands."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHA|JOB")
    String target;

    @Option(names = {"-e", "--environment"}, description = "Show this environment's rollout.")
    String environment;

    @Option(names = "--limit", defaultValue = "15", description = "Jobs to list (default ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CodeDeploy codeDeploy = config.open()) {
            if (target == null) {
                jobs(out, codeDeploy.recentJobs(limit));
            } else if (CommitSha.isValid(target)) {
                jobs(out, codeDeploy.history(target, limit));
            } else if (target.matches("\\d{1,18}")) {
                Job job = codeDeploy.job(Long.parseLong(target)).orElse(null);
                if (job == null) {
                    out.println("no job " + target);
                    return CodeDeployCli.USAGE;
                }
                job(out, job, codeDeploy.replicas(job.id()));
            } else {
                throw new dev.codedeploy.InvalidInputException("'" + target + "' is neither a full 40-hex SHA nor a job id");
            }
            if (environment != null) {
                rollout(out, codeDeploy.status(environment));
            }
            return CodeDeployCli.OK;
        }
    }

    private static void jobs(PrintWriter out, List<Job> jobs) {
        out.printf("%-8s %-10s %-12s %-13s %-20s %s%n", "job", "status", "commit", "stage", "requested by", "error");
        for (Job j : jobs) {
            out.printf("%-8d %-10s %-12s %-13s %-20s %s%n", j.id(), j.status(), j.sha().substring(0, 12),
                    stage(j), j.requestedBy(), j.error() == null ? "" : firstLine(j.error()));
        }
    }

    /** Where a running job is, or where a failed one stopped; nothing for a finished build. */
    private static String stage(Job j) {
        return j.stage() == null || j.status() == JobStatus.COMPLETED ? "" : j.stage();
    }

    private static void job(PrintWriter out, Job j, List<Replica> replicas) {
        out.printf("job %d: %s (attempt %d of %d)%n", j.id(), j.status(), j.attempt(), j.maxAttempts());
        out.printf("  commit     %s%n  repository %s%n  requested  %s by %s%n", j.sha(), j.repoUrl(), j.createdAt(), j.requestedBy());
        if (j.workerId() != null) {
            out.printf("  worker     %s, stage %s, last heartbeat %s%n", j.workerId(), j.stage(), j.lastHeartbeat());
        }
        if (j.artifactKey() != null) {
            out.printf("  artifact   %s (%d bytes, sha256 %s)%n", j.artifactKey(), j.artifactSize(), j.artifactSha256());
        }
        if (j.logKey() != null) {
            out.printf("  log        %s%n", j.logKey());
        }
        if (j.error() != null) {
            out.printf("  error      %s%n", j.error().replace("\n", "\n             "));
        }
        for (Replica r : replicas) {
            out.printf("  region %-12s %-9s attempts %d%s%n", r.region(), r.status(), r.attempts(), r.error() == null ? "" : " (" + r.error() + ")");
        }
    }

    private static void rollout(PrintWriter out, RolloutStatus status) {
        out.println();
        out.println(status.summary());
        for (RegionStatus r : status.regions()) {
            out.printf("  %-12s %s, release version %d, %d hosts %s%n", r.region(), r.connected() ? "connected" : "UNREACHABLE",
                    r.releaseVersion(), r.hosts(), r.builds());
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
