package dev.codedeploy.cli;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.client.Build;
import dev.codedeploy.client.BuildReplica;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.Job;
import dev.codedeploy.client.Rollout;
import dev.codedeploy.queue.CommitSha;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codedeploy status [SHA|JOB]}: deploys and jobs, one commit's jobs, one job with its copies, one deploy, a rollout. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Without an argument: the deploys in flight and recent ones, and the newest jobs.",
                "With a SHA: that commit's jobs. With a job id: the job and where each region's copy stands.",
                "With --deploy ID: that deploy's result so far. With -e: the environment's rollout."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ClientOption connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHA|JOB")
    String target;

    @Option(names = "--deploy", paramLabel = "ID", description = "Show this deploy.")
    Long deploy;

    @Option(names = {"-e", "--environment"}, description = "Show this environment's rollout.")
    String environment;

    @Option(names = "--limit", defaultValue = "15", description = "Deploys and jobs to list (default ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CodeDeployClient client = connection.client();
        if (deploy != null) {
            ResultTable.print(out, client.deploy(deploy));
        } else if (target == null) {
            if (environment == null) {
                deploys(out, client.deploys(null, false, limit));
                out.println();
                jobs(out, client.jobs(null, null, limit));
            }
        } else if (CommitSha.isValid(target)) {
            jobs(out, client.jobs(null, target.trim().toLowerCase(), limit));
        } else if (target.matches("\\d{1,18}")) {
            Job job = client.job(Long.parseLong(target));
            job(out, job, "COMPLETED".equals(job.status()) ? client.build(job.id()) : null);
        } else {
            throw new InvalidInputException("'" + target + "' is neither a full 40-hex SHA nor a job id");
        }
        if (environment != null) {
            rollout(out, client.rollout(environment));
        }
        out.flush();
        return CodeDeployCli.OK;
    }

    private static void deploys(PrintWriter out, List<Deploy> deploys) {
        out.printf("%-7s %-12s %-12s %-12s %-16s %s%n", "deploy", "state", "environment", "commit", "requested by", "now");
        for (Deploy d : deploys) {
            out.printf("%-7d %-12s %-12s %-12s %-16s %s%n", d.id(), d.state(), d.environment(), d.sha().substring(0, 12), d.requestedBy(),
                    d.message() == null ? "" : d.message());
        }
    }

    private static void jobs(PrintWriter out, List<Job> jobs) {
        out.printf("%-8s %-10s %-12s %-13s %-20s %s%n", "job", "status", "commit", "stage", "requested by", "error");
        for (Job j : jobs) {
            out.printf("%-8d %-10s %-12s %-13s %-20s %s%n", j.id(), j.status(), j.sha().substring(0, 12),
                    j.stage() == null || "COMPLETED".equals(j.status()) ? "" : j.stage(), j.requestedBy(),
                    j.error() == null ? "" : firstLine(j.error()));
        }
    }

    private static void job(PrintWriter out, Job j, Build build) {
        out.printf("job %d: %s (attempt %d of %d)%n", j.id(), j.status(), j.attempt(), j.maxAttempts());
        out.printf("  commit     %s%n  repository %s%n  requested  %s by %s%n", j.sha(), j.repository(), j.createdAt(), j.requestedBy());
        if (j.workerId() != null) {
            out.printf("  worker     %s, stage %s, last heartbeat %s%n", j.workerId(), j.stage(), j.lastHeartbeat());
        }
        if (j.artifactSha256() != null) {
            out.printf("  artifact   %d bytes, sha256 %s%n", j.artifactSize(), j.artifactSha256());
        }
        if (j.hasLog()) {
            out.printf("  log        codedeploy's GET /api/v1/jobs/%d/log%n", j.id());
        }
        if (j.error() != null) {
            out.printf("  error      %s%n", j.error().replace("\n", "\n             "));
        }
        if (j.requeues() > 0) {
            out.printf("  requeued   %d time(s), last at %s: %s%n", j.requeues(), j.lastRequeuedAt(), j.lastRequeueReason());
        }
        if (build != null) {
            for (BuildReplica r : build.replicas()) {
                out.printf("  region %-12s %-9s attempts %d%s%n", r.region(), r.status(), r.attempts(), r.error() == null ? "" : " (" + r.error() + ")");
            }
            out.printf("  deployable %s%n", build.deployable() ? "yes: every region holds a verified copy" : "not yet");
        }
    }

    private static void rollout(PrintWriter out, Rollout r) {
        out.println();
        if (r.release() == null) {
            out.println(r.environment() + ": no release");
        } else {
            Rollout.Release rel = r.release();
            out.printf("%s: build %d v%d%s%s, wave %d/%d (%d%%)%s%n", r.environment(), rel.buildId(), rel.version(),
                    rel.rollback() ? " (rollback)" : "", rel.paused() ? " (paused)" : "", rel.openWave() + 1, rel.waves().size(),
                    rel.openPercent(), r.progress() == null ? "" : ", hosts " + r.progress().hosts() + ", downloaded " + r.progress().downloaded()
                            + ", healthy " + r.progress().healthy() + "/" + r.progress().activated() + ", failed " + r.progress().failed());
        }
        if (r.lock() != null) {
            out.printf("  %s by %s: %s%n", r.lock().until() == null ? "locked" : "frozen until " + r.lock().until(), r.lock().actor(), r.lock().reason());
        }
        if (r.activeDeployId() != null) {
            out.printf("  deploy %d is rolling out%n", r.activeDeployId());
        }
        for (Rollout.Region region : r.regions()) {
            out.printf("  %-12s %s, release version %d, %d hosts %s%n", region.region(), region.connected() ? "connected" : "UNREACHABLE",
                    region.releaseVersion(), region.hosts(), region.builds().stream().map(b -> b.buildId() + "=" + b.states()).toList());
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
