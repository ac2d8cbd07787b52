package dev.codedeploy.sandbox.bench;

import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.queue.Job;
import dev.codedeploy.replication.BuildReplica;
import dev.codedeploy.replication.ReplicationConfig;
import dev.codedeploy.replication.ReplicationListener;
import dev.codedeploy.replication.ReplicationStatus;
import dev.codedeploy.replication.ReplicaKey;
import dev.codedeploy.replication.copy.CopyMethod;
import dev.codedeploy.replication.Replicator;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.ReplicationCluster;
import dev.codedeploy.sandbox.cluster.Wait;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench replication}: one artifact to every region. The replicator (regions in parallel sharing one read of
 * the master, parts in parallel, the sha256 of every byte and the MD5 of every part checked) against a plain
 * sequential copy of the same bytes in the same run: for each region in turn, one streamed GET from the master into
 * one PUT, nothing verified. The replicator's time is from the build's COMPLETED to the last region's verified copy,
 * on the database clock. Each of {@code rounds} rounds replicates a new build, then copies it plainly; the RESULT
 * gives the best round of each, as other work on the machine only ever slows a round down. Progress lines also give
 * the CPU time of each side.
 *
 * <p>Options: {@code size_mb} (default 1024), {@code regions} (default 5), {@code part_mb} (part size, default 16),
 * {@code region_mbps} (each region reached through a link of that many MB/s, as far regions are; default 0: loopback
 * without limit, where the CPU is the bound), {@code rounds} (default 3).
 */
public final class ReplicationBenchmark implements Benchmark {

    @Override
    public String name() {
        return "replication";
    }

    @Override
    public String description() {
        return "an artifact to 5 regions: the replicator against a plain sequential copy of the same bytes";
    }

    @Override
    public Result run(ScenarioContext context) throws Exception {
        long size = context.longOption("size_mb", 1024) << 20;
        int regions = context.intOption("regions", 5);
        int rounds = context.intOption("rounds", 3);
        long linkMbps = context.longOption("region_mbps", 0);
        try (ReplicationCluster cluster = ReplicationCluster.start(context.workDir(), regions, context.longOption("part_mb", 16) << 20,
                linkMbps << 20)) {
            if (linkMbps > 0) {
                context.say("each region is reached through a link of %d MB/s", linkMbps);
            }
            ReplicationConfig config = ReplicationConfig.defaults()
                    .withTimes(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5))
                    .withParallelCopies(regions, 1)
                    .withAudit(Duration.ZERO, 1);
            PhaseClock phases = new PhaseClock();
            Replicator replicator = cluster.replicator(config, phases);
            replicator.start();
            double best = Double.MAX_VALUE;
            double bestTransfer = Double.MAX_VALUE;
            double bestSequential = Double.MAX_VALUE;
            for (int round = 1; round <= rounds; round++) {
                context.say("round %d of %d: publishing a %d MB build (load average %.1f on %d cores)", round, rounds, size >> 20,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
                Job job = cluster.publish(size);
                phases.start(job.artifactKey());
                best = Math.min(best, replicate(context, cluster, job));
                double transfer = phases.lastPartSeconds();
                context.say("  of which the parts' transfer: %.2f s to the last part acknowledged; then %.2f s to complete the uploads"
                        + " and check them (the S3 server assembles each region's object)", transfer, phases.lastObjectSeconds() - transfer);
                bestTransfer = Math.min(bestTransfer, transfer);
                bestSequential = Math.min(bestSequential, copySequentially(context, cluster, job, size));
                removeBuild(cluster, job);
            }
            return Result.bench(name()).put("size_mb", size >> 20).put("regions", regions).put("seconds", best)
                    .put("sequential_seconds", bestSequential).put("ratio", bestSequential / best)
                    .put("transfer_seconds", bestTransfer).put("transfer_ratio", bestSequential / bestTransfer);
        }
    }

    /**
     * When the artifact's parts reached the regions and when each region's object was complete, from the build's
     * publication: what separates the links' time from the S3 server's own work at the end.
     */
    private static final class PhaseClock implements ReplicationListener {
        private volatile String key;
        private volatile long start;
        private final AtomicLong lastPart = new AtomicLong();
        private final AtomicLong lastObject = new AtomicLong();

        void start(String artifactKey) {
            key = artifactKey;
            start = System.nanoTime();
            lastPart.set(start);
            lastObject.set(start);
        }

        @Override
        public void partCopied(ReplicaKey replica, String copiedKey, int partNumber, long bytes) {
            if (copiedKey.equals(key)) {
                lastPart.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }

        @Override
        public void objectCopied(ReplicaKey replica, String copiedKey, CopyMethod method, long bytes) {
            if (copiedKey.equals(key)) {
                lastObject.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }

        double lastPartSeconds() {
            return (lastPart.get() - start) / 1e9;
        }

        double lastObjectSeconds() {
            return (lastObject.get() - start) / 1e9;
        }
    }

    /** Seconds from the build's COMPLETED to the last region's verified copy, on the database clock. */
    private static double replicate(ScenarioContext context, ReplicationCluster cluster, Job job) throws Exception {
        long cpuBefore = cpuNanos();
        DeployGate gate = new DeployGate(cluster.database(), new HashSet<>(cluster.regions()));
        Wait.require("build " + job.id() + " in every region", Duration.ofMinutes(30), () -> gate.isDeployable(job.id()));
        double seconds = 0;
        for (BuildReplica r : new ReplicationStatus(cluster.database(), cluster.regions()).build(job.id())) {
            seconds = Math.max(seconds, r.lagSeconds());
        }
        context.say("  replicator: %.2f s to every region, verified (%.1f s of CPU in this process, S3 servers included)", seconds,
                (cpuNanos() - cpuBefore) / 1e9);
        return seconds;
    }

    private static double copySequentially(ScenarioContext context, ReplicationCluster cluster, Job job, long size) throws Exception {
        long cpuStart = cpuNanos();
        long start = System.nanoTime();
        for (String region : cluster.regions()) {
            copyPlain(cluster.master(), cluster.store(region), job.artifactKey(), "baseline/" + job.artifactKey(), size);
        }
        double sequential = (System.nanoTime() - start) / 1e9;
        context.say("  plain sequential copy: %.2f s (%.1f s of CPU)", sequential, (cpuNanos() - cpuStart) / 1e9);
        return sequential;
    }

    /** Frees the disk before the next round. */
    private static void removeBuild(ReplicationCluster cluster, Job job) {
        for (String region : cluster.regions()) {
            for (String key : new String[] {job.artifactKey(), "baseline/" + job.artifactKey(), job.torrentKey(), job.manifestKey()}) {
                cluster.store(region).delete(key);
            }
        }
        cluster.master().delete(job.artifactKey());
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One streamed GET into one PUT: what a script with the AWS SDK would do. */
    private static void copyPlain(S3BlobStore from, S3BlobStore to, String key, String targetKey, long size) throws Exception {
        to.putStream(targetKey, size, () -> from.open(key), Map.of());
        if (to.head(targetKey).map(i -> i.size() != size).orElse(true)) {
            throw new IllegalStateException("the plain copy of " + key + " to " + to.name() + " is incomplete");
        }
    }
}
