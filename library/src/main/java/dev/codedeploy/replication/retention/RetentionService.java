package dev.codedeploy.replication.retention;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.config.Durations;
import dev.codedeploy.database.Database;
import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.replication.DeployableBuilds;
import dev.codedeploy.replication.PlanMapper;
import dev.codedeploy.replication.RegionStores;
import dev.codedeploy.replication.ReplicaTable;
import dev.codedeploy.replication.ReplicationConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes old builds from the master and regional stores. A pass keeps the builds that can still be deployed
 * ({@link DeployableBuilds}), those deployed within {@code keepDeployedWithin}, those younger than
 * {@code keepNewerThan}, and every build a region runs or is about to ({@link BuildsInUse}); it removes the
 * oldest other COMPLETED builds, at most {@code maxPerPass}:
 *
 * <ol>
 *   <li>marks each REMOVING (its replicas REMOVED, so the deploy gate closes for it), skipping a build a live
 *       replicator is copying;</li>
 *   <li>asks again which builds are in use, and gives back any that became so (its replicas are verified again);</li>
 *   <li>deletes its objects from every region, then from the master (keeping {@code build.log}), and marks it REMOVED.</li>
 * </ol>
 *
 * <p>When the database, a ZooKeeper ensemble or a store cannot be reached, a pass removes nothing it cannot prove unused;
 * deletions that failed stay REMOVING and are finished by a later pass. Several services may run at once: marking
 * locks the build's rows, and deletions are idempotent.
 */
public final class RetentionService extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

    private final Database database;
    private final RegionStores stores;
    private final BuildsInUse inUse;
    private final RetentionConfig config;
    private final DeployableBuilds deployable;
    private final int perEnvironment;
    private ScheduledExecutorService scheduler;

    /** Retention of the builds in {@code stores} with {@code config}'s policy. */
    public RetentionService(Database database, RegionStores stores, BuildsInUse inUse, ReplicationConfig config) {
        this.database = database.addMapper(RemovalMapper.class).addMapper(PlanMapper.class);
        this.stores = stores;
        this.inUse = inUse;
        this.config = config.retention();
        this.perEnvironment = config.keepPerEnvironment();
        this.deployable = new DeployableBuilds(database, perEnvironment);
    }

    /**
     * What a pass did.
     *
     * @param kept      builds it kept
     * @param removed   builds whose objects it deleted
     * @param givenBack builds marked, then found in use, and given back
     * @param failed    builds whose deletion failed (left REMOVING for the next pass)
     */
    public record Report(Set<Long> kept, List<Long> removed, List<Long> givenBack, List<Long> failed) {
    }

    /** Runs one pass now. */
    public Report runOnce() {
        Set<Long> keep = new TreeSet<>(deployable.ids());
        keep.addAll(database.inTransaction(PlanMapper.class, m -> m.deployedWithin(ReplicaTable.micros(config.keepDeployedWithin()))));
        keep.addAll(inUse.buildIds());
        String reason = "removed by retention: not among the last " + perEnvironment + " builds of an environment or repository,"
                + " not deployed within " + Durations.format(config.keepDeployedWithin()) + ", older than "
                + Durations.format(config.keepNewerThan()) + ", and no region runs it";
        Set<Long> marked = new LinkedHashSet<>(database.inTransaction(RemovalMapper.class, RemovalMapper::removing));
        List<Long> candidates = database.inTransaction(RemovalMapper.class,
                m -> m.candidates(ReplicaTable.micros(config.keepNewerThan()), keep, config.maxPerPass()));
        for (long jobId : candidates) {
            if (mark(jobId, reason)) {
                marked.add(jobId);
            }
        }
        List<Long> givenBack = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        if (!marked.isEmpty()) {
            Set<Long> inUseNow = inUse.buildIds();
            for (long jobId : marked) {
                if (inUseNow.contains(jobId)) {
                    giveBack(jobId);
                    givenBack.add(jobId);
                } else if (delete(jobId)) {
                    removed.add(jobId);
                } else {
                    failed.add(jobId);
                }
            }
        }
        if (!removed.isEmpty() || !failed.isEmpty() || !givenBack.isEmpty()) {
            log.info("retention: removed {}, kept {} build(s), gave back {}, failed {}", removed, keep.size(), givenBack, failed);
        }
        return new Report(keep, removed, givenBack, failed);
    }

    private boolean mark(long jobId, String reason) {
        return database.inTransaction(RemovalMapper.class, m -> {
            if (m.lockLeased(jobId).stream().anyMatch(Boolean.TRUE::equals)) {
                return false;
            }
            m.insert(jobId, reason);
            m.markReplicasRemoved(jobId, reason);
            return true;
        });
    }

    private void giveBack(long jobId) {
        database.inTransaction(RemovalMapper.class, m -> {
            m.reopenReplicas(jobId);
            return m.cancel(jobId);
        });
        log.warn("retention: build {} came into use while it was being removed; kept, its replicas are verified again", jobId);
    }

    private boolean delete(long jobId) {
        String artifactKey = database.inTransaction(RemovalMapper.class, m -> m.artifactKey(jobId));
        try {
            if (artifactKey != null) {
                String folder = jobFolder(artifactKey);
                for (String region : stores.names()) {
                    deleteUnder(stores.region(region), folder, false);
                }
                deleteUnder(stores.master(), folder, true);
            }
            database.inTransaction(RemovalMapper.class, m -> m.finish(jobId));
            return true;
        } catch (RuntimeException e) {
            log.warn("retention: removing build {} failed; the next pass finishes it: {}", jobId, e.getMessage());
            database.inTransaction(RemovalMapper.class, m -> m.recordError(jobId, ReplicaTable.truncate(e.getMessage())));
            return false;
        }
    }

    /** {@code builds/<sha>/<job>/}: every attempt of the job. */
    static String jobFolder(String artifactKey) {
        String attempt = BuildKeys.ofArtifactKey(artifactKey).prefix();
        return attempt.substring(0, attempt.lastIndexOf('/', attempt.length() - 2) + 1);
    }

    private static void deleteUnder(BlobStore store, String folder, boolean keepLogs) {
        for (BlobInfo object : store.list(folder)) {
            if (!(keepLogs && object.key().endsWith("/build.log"))) {
                store.delete(object.key());
            }
        }
    }

    @Override
    protected void doStart() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention");
            t.setDaemon(true);
            return t;
        });
        long period = config.interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("retention pass failed, nothing unproven was removed; next pass in {}: {}", config.interval(), e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        log.info("retention started: a pass every {}", config.interval());
    }

    @Override
    protected void doClose() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
