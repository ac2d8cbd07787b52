package dev.codedeploy.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replicator's meters, tagged by region:
 *
 * <pre>
 * codedeploy.replication.lag.seconds          gauge    time since the oldest build the region lacks completed
 * codedeploy.replication.waiting              gauge    builds the region lacks (PENDING, RUNNING, FAILED)
 * codedeploy.replication.region.up            gauge    1 while the region's store answers, 0 while it is down
 * codedeploy.replication.copies{outcome}      counter  completed, skipped (already there), failed, lost
 * codedeploy.replication.bytes                counter  artifact bytes that reached the region
 * codedeploy.replication.checksum.mismatches  counter  replicas whose bytes read back did not match, then deleted
 * </pre>
 */
public final class ReplicationMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lagMicros = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> waiting = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> up = new ConcurrentHashMap<>();

    /** Meters of {@code regions} in {@code registry}. */
    public ReplicationMetrics(MeterRegistry registry, Collection<String> regions) {
        this.registry = registry;
        for (String region : regions) {
            Gauge.builder("codedeploy.replication.lag.seconds", lagMicros.computeIfAbsent(region, r -> new AtomicLong()), a -> a.get() / 1e6)
                    .tag("region", region).description("time since the oldest build the region lacks completed").baseUnit("seconds")
                    .register(registry);
            Gauge.builder("codedeploy.replication.waiting", waiting.computeIfAbsent(region, r -> new AtomicLong()), AtomicLong::get)
                    .tag("region", region).description("builds the region does not hold yet").register(registry);
            Gauge.builder("codedeploy.replication.region.up", up.computeIfAbsent(region, r -> new AtomicLong(1)), AtomicLong::get)
                    .tag("region", region).description("1 while the region's store answers").register(registry);
        }
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    void lag(String region, long micros, long count) {
        lagMicros.computeIfAbsent(region, r -> new AtomicLong()).set(micros);
        waiting.computeIfAbsent(region, r -> new AtomicLong()).set(count);
    }

    void regionUp(String region, boolean isUp) {
        up.computeIfAbsent(region, r -> new AtomicLong()).set(isUp ? 1 : 0);
    }

    void copy(String region, String outcome) {
        Counter.builder("codedeploy.replication.copies").tag("region", region).tag("outcome", outcome).register(registry).increment();
    }

    void bytes(String region, long bytes) {
        Counter.builder("codedeploy.replication.bytes").tag("region", region).baseUnit("bytes").register(registry).increment(bytes);
    }

    void mismatch(String region) {
        Counter.builder("codedeploy.replication.checksum.mismatches").tag("region", region).register(registry).increment();
    }

    /** The lag of {@code region} last measured, in seconds. */
    public double lagSeconds(String region) {
        AtomicLong v = lagMicros.get(region);
        return v == null ? 0 : v.get() / 1e6;
    }

    /** Checksum mismatches found in {@code region} so far. */
    public long mismatches(String region) {
        Counter c = registry.find("codedeploy.replication.checksum.mismatches").tag("region", region).counter();
        return c == null ? 0 : (long) c.count();
    }

    /** Copies of {@code region} that ended with {@code outcome} so far. */
    public long copies(String region, String outcome) {
        Counter c = registry.find("codedeploy.replication.copies").tag("region", region).tag("outcome", outcome).counter();
        return c == null ? 0 : (long) c.count();
    }
}
