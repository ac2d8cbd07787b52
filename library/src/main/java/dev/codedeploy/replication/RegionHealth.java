package dev.codedeploy.replication;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which regions a replicator holds for down. A region is down when its store stops answering; none of its rows is
 * claimed then (their attempts are not spent on an outage), and it is probed every {@code probeEvery}. When it
 * answers again its FAILED rows become due at once, so it catches up without waiting out their backoff.
 */
final class RegionHealth {

    private static final Logger log = LoggerFactory.getLogger(RegionHealth.class);

    private final String replicator;
    private final RegionStores stores;
    private final ReplicaTable table;
    private final ReplicationMetrics metrics;
    private final Duration probeEvery;
    private final Map<String, Long> nextProbe = new ConcurrentHashMap<>();

    RegionHealth(String replicator, RegionStores stores, ReplicaTable table, ReplicationMetrics metrics, Duration probeEvery) {
        this.replicator = replicator;
        this.stores = stores;
        this.table = table;
        this.metrics = metrics;
        this.probeEvery = probeEvery;
    }

    /** True when the region's store answers now. */
    boolean reachable(String region) {
        try {
            stores.region(region).checkReachable();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean isDown(String region) {
        return nextProbe.containsKey(region);
    }

    /** The regions held for down now. */
    Set<String> down() {
        return Set.copyOf(nextProbe.keySet());
    }

    void markDown(String region, String why) {
        if (nextProbe.put(region, System.nanoTime() + probeEvery.toNanos()) == null) {
            metrics.regionUp(region, false);
            log.warn("replicator {}: region {} is down, holding its copies until it answers: {}", replicator, region, why);
        }
    }

    /** Probes the down regions whose time has come; a region that answers is up again and its FAILED rows due. */
    void probe() {
        for (Map.Entry<String, Long> e : nextProbe.entrySet()) {
            if (System.nanoTime() - e.getValue() < 0) {
                continue;
            }
            String region = e.getKey();
            if (reachable(region)) {
                nextProbe.remove(region);
                metrics.regionUp(region, true);
                int due = table.retryNow(region);
                log.info("replicator {}: region {} answers again; {} failed copies are due now", replicator, region, due);
            } else {
                e.setValue(System.nanoTime() + probeEvery.toNanos());
            }
        }
    }
}
