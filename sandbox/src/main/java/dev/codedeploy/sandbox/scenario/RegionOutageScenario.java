package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.queue.Job;
import dev.codedeploy.replication.Replica;
import dev.codedeploy.replication.ReplicaKey;
import dev.codedeploy.replication.ReplicaStatus;
import dev.codedeploy.replication.ReplicationConfig;
import dev.codedeploy.replication.ReplicationListener;
import dev.codedeploy.replication.Replicator;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.ReplicationCluster;
import dev.codedeploy.sandbox.cluster.Wait;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code scenario region-outage}: one regional S3 stops while a build is being copied to it. The other regions
 * complete, the region stays PENDING or FAILED with its error, the deploy gate stays closed; when the S3 comes back the
 * region catches up and the gate opens.
 *
 * <p>Options: {@code size_mb} (default 128), {@code regions} (default 5), {@code part_mb} (part size, default 16), {@code region} (the one to stop, default
 * eu-west), {@code timeout_s} (default 300).
 */
public final class RegionOutageScenario implements Scenario {

    @Override
    public String name() {
        return "region-outage";
    }

    @Override
    public String description() {
        return "stop one regional S3 during replication, then start it again: the gate waits, the region catches up";
    }

    @Override
    public Result run(ScenarioContext context) throws Exception {
        long size = context.longOption("size_mb", 128) << 20;
        int regions = context.intOption("regions", 5);
        String down = context.option("region", "eu-west");
        Duration timeout = Duration.ofSeconds(context.longOption("timeout_s", 300));
        Result result = Result.scenario(name());
        try (ReplicationCluster cluster = ReplicationCluster.start(context.workDir(), regions, context.longOption("part_mb", 16) << 20)) {
            if (!cluster.regions().contains(down)) {
                throw new IllegalArgumentException("region '" + down + "' is not among " + cluster.regions());
            }
            CountDownLatch copying = new CountDownLatch(1);
            AtomicInteger partsToDown = new AtomicInteger();
            ReplicationListener listener = new ReplicationListener() {
                @Override
                public void partCopied(ReplicaKey replica, String key, int partNumber, long bytes) {
                    if (replica.region().equals(down)) {
                        partsToDown.incrementAndGet();
                        copying.countDown();
                    }
                }
            };
            ReplicationConfig config = ReplicationConfig.defaults()
                    .withTimes(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2))
                    .withParallelCopies(regions, 1);
            Replicator replicator = cluster.replicator(config, listener);
            replicator.start();
            context.say("replicator %s started over %s", replicator.id(), cluster.regions());

            Job job = cluster.publish(size);
            context.say("build %d published: %d MB in the master store", job.id(), size >> 20);
            if (!copying.await(timeout.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("no part reached " + down + " within " + timeout);
            }
            cluster.s3(down).stop();
            context.say("S3 of %s stopped in the middle of its copy", down);

            List<String> others = cluster.regions().stream().filter(r -> !r.equals(down)).toList();
            DeployGate gate = new DeployGate(cluster.database(), new HashSet<>(cluster.regions()));
            waitFor(timeout, () -> others.stream().allMatch(r -> status(cluster, job, r) == ReplicaStatus.COMPLETED));
            context.say("the %d other regions hold the build", others.size());
            waitFor(timeout, () -> cluster.replica(job, down).error() != null);
            Replica during = cluster.replica(job, down);
            boolean closed = !gate.isDeployable(job.id());
            boolean waiting = during.status() == ReplicaStatus.PENDING || during.status() == ReplicaStatus.FAILED;
            context.say("%s is %s: %s", down, during.status(), during.error());
            context.say("deploy gate during the outage: %s", closed ? "closed" : "OPEN (wrong)");

            int sentBefore = partsToDown.get();
            long restarted = System.nanoTime();
            cluster.s3(down).restart();
            context.say("S3 of %s started again", down);
            waitFor(timeout, () -> status(cluster, job, down) == ReplicaStatus.COMPLETED);
            double catchUp = (System.nanoTime() - restarted) / 1e9;
            boolean open = gate.isDeployable(job.id());
            boolean bytesThere = cluster.store(down).head(job.artifactKey()).map(i -> i.size() == size).orElse(false);
            long partSize = cluster.store(down).config().partSize();
            context.say("%s caught up in %.2f s (attempt %d), sending %d of its %d parts; deploy gate: %s", down, catchUp,
                    cluster.replica(job, down).attempts(), partsToDown.get() - sentBefore, (size + partSize - 1) / partSize,
                    open ? "open" : "closed (wrong)");
            return result.put("gate_closed_during_outage", closed).put("gate_open_after", open).put("catch_up_s", catchUp)
                    .ok(closed && open && waiting && bytesThere);
        }
    }

    private static ReplicaStatus status(ReplicationCluster cluster, Job job, String region) {
        Replica row = cluster.replica(job, region);
        return row == null ? null : row.status();
    }

    /** Waits for {@code condition}, at most {@code timeout}. */
    static void waitFor(Duration timeout, Wait.Condition condition) throws Exception {
        if (!Wait.until(timeout, condition)) {
            throw new IllegalStateException("waited " + timeout + " in vain");
        }
    }
}
