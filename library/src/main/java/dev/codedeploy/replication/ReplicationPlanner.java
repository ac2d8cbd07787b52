package dev.codedeploy.replication;

import dev.codedeploy.database.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the PENDING rows the replicators work through. A region is registered the first time a replicator runs with
 * it; from then on every build that completes gets a row in it. Builds that completed before a region was added are
 * only backfilled when they can still be deployed ({@link DeployableBuilds}). {@code INSERT IGNORE} on the row's key
 * makes every step safe to run from several replicators at once.
 */
final class ReplicationPlanner {

    private static final Logger log = LoggerFactory.getLogger(ReplicationPlanner.class);
    private static final int BATCH = 500;

    private final Database database;
    private final List<String> regions;
    private final DeployableBuilds deployable;

    ReplicationPlanner(Database database, Collection<String> regions, DeployableBuilds deployable) {
        this.database = database.addMapper(PlanMapper.class);
        this.regions = List.copyOf(regions);
        this.deployable = deployable;
    }

    /** Registers the configured regions that are new; their time of arrival decides what is backfilled. */
    void registerRegions() {
        database.inTransaction(PlanMapper.class, m -> {
            for (String region : regions) {
                if (m.registerRegion(region) == 1) {
                    log.info("region {} registered: builds that completed before now are backfilled when they can still be deployed", region);
                }
            }
            return null;
        });
    }

    /** Rows for the builds completed within {@code lookback}; returns how many were made. */
    int planRecent(Duration lookback) {
        if (regions.isEmpty()) {
            return 0;
        }
        return database.inTransaction(PlanMapper.class, m -> m.planRecent(regions, ReplicaTable.micros(lookback)));
    }

    /** Rows for builds found in the master store (only in the regions added before each completed). */
    int planFound(Collection<Long> jobIds) {
        return planJobs(jobIds, false);
    }

    /** Rows in every region for the builds that can still be deployed; returns how many were made. */
    int backfill() {
        Set<Long> ids = deployable.ids();
        int made = planJobs(ids, true);
        if (made > 0) {
            log.info("backfill: {} replica(s) planned for {} build(s) that can still be deployed", made, ids.size());
        }
        return made;
    }

    private int planJobs(Collection<Long> jobIds, boolean backfill) {
        if (regions.isEmpty() || jobIds.isEmpty()) {
            return 0;
        }
        List<Long> ids = new ArrayList<>(jobIds);
        int made = 0;
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            made += database.inTransaction(PlanMapper.class, m -> m.planJobs(batch, regions, backfill));
        }
        return made;
    }
}
