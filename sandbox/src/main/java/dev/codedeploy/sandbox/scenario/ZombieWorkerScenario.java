package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.BuildCluster;
import dev.codedeploy.sandbox.cluster.ChildProcess;
import dev.codedeploy.sandbox.cluster.JobWatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A worker is frozen with SIGSTOP in the middle of a build until its job has gone to another worker and completed,
 * then thawed with SIGCONT. Every write it then makes for its old attempt must be rejected by the fencing token, and
 * the completed job must stay as the other worker left it.
 */
public final class ZombieWorkerScenario implements Scenario {

    @Override
    public String name() {
        return "zombie-worker";
    }

    @Override
    public String description() {
        return "SIGSTOP a worker until its job moved on, then SIGCONT: all its stale writes are rejected";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        Duration heartbeat = Duration.ofMillis(ctx.intOption("heartbeat-ms", 1000));
        try (BuildCluster cluster = BuildCluster.start(ctx.workDir(), new QueueConfig(5))) {
            String sha = cluster.repo().commit("slow build", Map.of(".codedeploy.yml", WorkerCrashScenario.SLOW_SPEC));
            List<ChildProcess> workers = List.of(cluster.startWorker("worker-a", heartbeat, 5), cluster.startWorker("worker-b", heartbeat, 5));
            Job job = cluster.queue().enqueue(cluster.repoUrl(), sha, "zombie-worker");
            Job first = JobWatch.await(cluster.queue(), job.id(), j -> j.status() == JobStatus.RUNNING && "BUILDING".equals(j.stage()),
                    Duration.ofSeconds(60)).orElseThrow(() -> new IllegalStateException("job never started building"));
            long pid = JobWatch.pidOf(first.workerId());
            ChildProcess zombie = workers.stream().filter(w -> w.pid() == pid).findFirst().orElseThrow();
            zombie.pause();
            ctx.say("froze %s (pid %d) while it built job %d attempt %d", zombie.name(), pid, job.id(), first.attempt());
            Job completed = JobWatch.await(cluster.queue(), job.id(), j -> j.status() == JobStatus.COMPLETED, Duration.ofSeconds(90))
                    .orElseThrow(() -> new IllegalStateException("the other worker never completed the job"));
            ctx.say("job %d completed by %s as attempt %d", job.id(), completed.workerId(), completed.attempt());
            int linesBefore = zombie.logLines().size();
            zombie.resume();
            ctx.say("thawed %s", zombie.name());
            Pattern stale = Pattern.compile("fenced (\\w+) job=" + job.id() + " attempt=" + first.attempt() + " .*result=(accepted|rejected)");
            if (!zombie.awaitLog(Pattern.compile("lease lost on job " + job.id() + "|job " + job.id() + " attempt " + first.attempt()
                    + ": lease lost"), Duration.ofSeconds(30))) {
                throw new IllegalStateException("the thawed worker never noticed it lost its lease; see " + zombie.log());
            }
            // let it finish dropping its work
            zombie.awaitLog(Pattern.compile("attempt " + first.attempt() + ": aborting \\(LEASE_LOST\\)"), Duration.ofSeconds(10));
            List<String> after = zombie.logLines().subList(linesBefore, zombie.logLines().size());
            long rejected = after.stream().filter(l -> stale.matcher(l).find() && l.contains("result=rejected")).count();
            long accepted = after.stream().filter(l -> stale.matcher(l).find() && l.contains("result=accepted")).count();
            Job end = cluster.queue().find(job.id()).orElseThrow();
            boolean untouched = end.status() == JobStatus.COMPLETED && end.attempt() == completed.attempt()
                    && end.artifactKey().equals(completed.artifactKey()) && end.finishedAt().equals(completed.finishedAt());
            long manifests = cluster.master().list(BuildKeys.ROOT + sha + "/" + job.id() + "/").stream()
                    .filter(b -> b.key().endsWith("manifest.json")).count();
            ctx.say("stale writes by the thawed worker: %d rejected, %d accepted; job untouched: %s; manifests stored: %d",
                    rejected, accepted, untouched, manifests);
            return Result.scenario(name()).put("stale_writes_rejected", rejected + "/" + (rejected + accepted))
                    .ok(rejected > 0 && accepted == 0 && untouched && manifests == 1 && zombie.isAlive());
        }
    }
}
