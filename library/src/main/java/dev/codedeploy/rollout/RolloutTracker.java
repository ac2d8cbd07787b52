package dev.codedeploy.rollout;

import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the hosts of every region: per region how many are on which build in which state, and over all regions how
 * far they are with a release. One {@link RegionHosts} cache per region and environment, made on first use.
 */
public final class RolloutTracker implements AutoCloseable {

    /** How long a first status waits for the regions to connect, all together; a region not connected by then shows none. */
    private static final Duration FIRST_CONNECT = Duration.ofSeconds(5);
    /**
     * How long a first status waits for a connected region's hosts to load: one listing per bucket and one read per host,
     * about a second for 50,000 hosts on a healthy ensemble; a region that takes longer shows what it has so far.
     */
    private static final Duration FIRST_LOAD = Duration.ofSeconds(60);

    private final List<ReleaseNodes> regions;
    private final Map<String, RegionHosts> caches = new ConcurrentHashMap<>();

    /** A tracker over the regional stores, in region order. */
    RolloutTracker(List<ReleaseNodes> regions) {
        this.regions = List.copyOf(regions);
    }

    /** Every host status of {@code environment}, all regions together. */
    List<HostStatus> hosts(String environment) {
        List<HostStatus> all = new ArrayList<>();
        for (ReleaseNodes region : regions) {
            all.addAll(hostsOf(region, environment).statuses());
        }
        return all;
    }

    /**
     * The host statuses of {@code environment} per region, in region order (a region without hosts maps to an empty
     * list). Read from the caches: it costs ZooKeeper nothing after their first load, which it waits for as
     * {@link #status} does.
     */
    Map<String, List<HostStatus>> hostsByRegion(String environment) {
        Map<String, List<HostStatus>> byRegion = new LinkedHashMap<>();
        regions.forEach(region -> hostsOf(region, environment));
        long deadline = System.nanoTime() + FIRST_CONNECT.toNanos();
        for (ReleaseNodes region : regions) {
            RegionHosts hosts = hostsOf(region, environment);
            hosts.awaitFirstLoad(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), FIRST_LOAD);
            byRegion.put(region.name(), List.copyOf(hosts.statuses()));
        }
        return byRegion;
    }

    /** The status of {@code environment} against {@code release} (null: none). */
    RolloutStatus status(String environment, Release release) {
        List<RegionStatus> regionStatuses = new ArrayList<>();
        List<HostStatus> all = new ArrayList<>();
        // one deadline to connect for all regions: with every region down, a first status waits FIRST_CONNECT, not one
        // per region; the loads run side by side, so waiting for them one after the other costs the slowest
        regions.forEach(region -> hostsOf(region, environment));
        long deadline = System.nanoTime() + FIRST_CONNECT.toNanos();
        for (ReleaseNodes region : regions) {
            RegionHosts hosts = hostsOf(region, environment);
            hosts.awaitFirstLoad(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), FIRST_LOAD);
            boolean connected = region.client().getZookeeperClient().isConnected();
            List<HostStatus> statuses = List.copyOf(hosts.statuses());
            all.addAll(statuses);
            long version = 0;
            if (connected) {
                try {
                    version = region.read(environment).map(ReleaseNodes.Stored::version).orElse(0L);
                } catch (RolloutException e) {
                    connected = false;
                }
            }
            regionStatuses.add(new RegionStatus(region.name(), connected, version, statuses.size(), byBuild(statuses)));
        }
        return new RolloutStatus(environment, release, regionStatuses, release == null ? null : WaveProgress.of(release, all));
    }

    /** True once every region's cache of {@code environment} has finished its first load (a partial view misleads). */
    boolean isLoaded(String environment) {
        return regions.stream().allMatch(region -> hostsOf(region, environment).isLoaded());
    }

    private static Map<Long, Map<HostState, Integer>> byBuild(List<HostStatus> statuses) {
        Map<Long, Map<HostState, Integer>> builds = new TreeMap<>();
        for (HostStatus s : statuses) {
            Long build = s.targetBuildId() != null ? s.targetBuildId() : s.currentBuildId();
            HostState state = s.state() == null ? HostState.IDLE : s.state();
            builds.computeIfAbsent(build == null ? 0L : build, b -> new EnumMap<>(HostState.class)).merge(state, 1, Integer::sum);
        }
        return builds;
    }

    private RegionHosts hostsOf(ReleaseNodes region, String environment) {
        return caches.computeIfAbsent(region.name() + "/" + environment, k -> new RegionHosts(region.client(), region.name(), environment));
    }

    @Override
    public void close() {
        caches.values().forEach(RegionHosts::close);
        caches.clear();
    }
}
