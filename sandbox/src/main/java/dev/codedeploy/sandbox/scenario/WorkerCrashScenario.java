package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.BuildCluster;
import dev.codedeploy.sandbox.cluster.ChildProcess;
import dev.codedeploy.sandbox.cluster.JobWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Three builder workers as processes; in each trial one is SIGKILLed in the middle of a build. The monitor must put
 * the job back, another worker must finish it, and no job may be lost or completed twice.
 */
public final class WorkerCrashScenario implements Scenario {

    static final String SLOW_SPEC = """
            build:
              command: [sh, -c, "echo building; sleep 2; mkdir -p dist; echo $CODEDEPLOY_SHA > dist/VERSION"]
              output: dist
            """;

    @Override
    public String name() {
        return "worker-crash";
    }

    @Override
    public String description() {
        return "SIGKILL a builder worker mid-build, trial after trial: nothing lost, nothing built twice (--set trials=10)";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        int trials = ctx.intOption("trials", 10);
        Duration heartbeat = Duration.ofMillis(ctx.intOption("heartbeat-ms", 1000));
        try (BuildCluster cluster = BuildCluster.start(ctx.workDir(), new QueueConfig(trials + 5))) {
            String sha = cluster.repo().commit("slow build", Map.of(".codedeploy.yml", SLOW_SPEC));
            List<ChildProcess> live = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                live.add(cluster.startWorker("worker-" + i, heartbeat, trials + 5));
            }
            ctx.say("3 builder workers up (heartbeat %d ms, requeue after %d ms without one)", heartbeat.toMillis(), 2 * heartbeat.toMillis());
            List<Long> jobs = new ArrayList<>();
            double maxRequeue = 0;
            int spawned = 3;
            for (int trial = 1; trial <= trials; trial++) {
                Job job = cluster.queue().enqueue(cluster.repoUrl(), sha, "worker-crash");
                jobs.add(job.id());
                jobs.add(cluster.queue().enqueue(cluster.repoUrl(), sha, "bystander").id());
                Job running = JobWatch.await(cluster.queue(), job.id(),
                        j -> j.status() == JobStatus.RUNNING && "BUILDING".equals(j.stage()), Duration.ofSeconds(60))
                        .orElseThrow(() -> new IllegalStateException("job " + job.id() + " never started building"));
                long pid = JobWatch.pidOf(running.workerId());
                ChildProcess victim = live.stream().filter(p -> p.pid() == pid).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no worker process with pid " + pid));
                long killedAt = System.nanoTime();
                victim.kill();
                live.remove(victim);
                Job again = JobWatch.await(cluster.queue(), job.id(), j -> j.attempt() > running.attempt() || j.status().isFinal(),
                        Duration.ofSeconds(60)).orElseThrow(() -> new IllegalStateException("job " + job.id() + " was never requeued"));
                double requeueSeconds = (System.nanoTime() - killedAt) / 1e9;
                live.add(cluster.startWorker("worker-" + (++spawned), heartbeat, trials + 5));
                maxRequeue = Math.max(maxRequeue, requeueSeconds);
                ctx.say("trial %2d: killed %s (pid %d) building job %d; taken over as attempt %d after %.1f s",
                        trial, victim.name(), pid, job.id(), again.attempt(), requeueSeconds);
            }
            int lost = 0;
            int duplicates = 0;
            for (long id : jobs) {
                Job done = JobWatch.await(cluster.queue(), id, j -> j.status().isFinal(), Duration.ofSeconds(120)).orElse(null);
                if (done == null || done.status() != JobStatus.COMPLETED) {
                    lost++;
                    ctx.say("job %d lost: %s", id, done == null ? "not finished" : done.status() + " " + done.error());
                    continue;
                }
                List<BlobInfo> manifests = cluster.master().list(BuildKeys.ROOT + sha + "/" + id + "/").stream()
                        .filter(b -> b.key().endsWith("/manifest.json")).toList();
                if (manifests.size() != 1 || !manifests.get(0).key().equals(done.manifestKey())) {
                    duplicates++;
                    ctx.say("job %d has %d stored manifests: %s", id, manifests.size(), manifests);
                }
            }
            ctx.say("%d jobs: %d lost, %d built twice; slowest takeover %.1f s", jobs.size(), lost, duplicates, maxRequeue);
            return Result.scenario(name()).put("trials", trials).put("lost", lost).put("duplicates", duplicates)
                    .put("max_requeue_s", maxRequeue).ok(trials >= 10 && lost == 0 && duplicates == 0);
        }
    }
}
