package dev.codedeploy.api;

import dev.codedeploy.client.Host;
import dev.codedeploy.client.HostPage;
import dev.codedeploy.client.Wave;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.Waves;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The API's views of an environment's hosts, computed from the control plane's cached statuses (no ZooKeeper read):
 * counts per wave and state, and one page of hosts worst first. Both are one pass over the statuses, so a region of
 * 50,000 hosts costs a few milliseconds of CPU per call and the answer's size does not grow with the fleet: counts,
 * or at most {@link #MAX_LIMIT} hosts.
 */
final class HostViews {

    /** The most hosts one page holds. */
    static final int MAX_LIMIT = 500;

    /** Worst first; a host on another build than the release's ranks between downloading and verified. */
    private static final List<String> SEVERITY = List.of(HostState.FAILED.name(), HostState.ROLLED_BACK.name(), HostState.SWITCHING.name(),
            HostState.DOWNLOADING.name(), Wave.OTHER_BUILD, HostState.VERIFIED.name(), HostState.HEALTHY.name(), HostState.IDLE.name());

    private static final Comparator<Ranked> WORST_FIRST = Comparator.comparingInt(Ranked::severity).thenComparing(r -> r.host().host());

    /**
     * What a page holds.
     *
     * @param region only this region, or null
     * @param state  only this state ({@link Wave#OTHER_BUILD} included), or null
     * @param wave   only this wave (1 for the first), or 0
     * @param offset hosts skipped
     * @param limit  hosts returned at most
     */
    record Query(String region, String state, int wave, int offset, int limit) {
    }

    private record Ranked(Host host, int severity) {
    }

    private HostViews() {
    }

    /** The states a query may name. */
    static List<String> states() {
        return SEVERITY;
    }

    /** Per wave of {@code release}, its hosts by state over all regions and per region; empty without a release. */
    static List<Wave> waves(Release release, Map<String, List<HostStatus>> byRegion) {
        if (release == null) {
            return List.of();
        }
        int waveCount = release.waves().size();
        List<Map<String, Map<String, Integer>>> counts = new ArrayList<>();
        for (int i = 0; i < waveCount; i++) {
            Map<String, Map<String, Integer>> regions = new java.util.LinkedHashMap<>();
            byRegion.keySet().forEach(region -> regions.put(region, new TreeMap<>()));
            counts.add(regions);
        }
        byRegion.forEach((region, statuses) -> {
            for (HostStatus s : statuses) {
                Host host = host(s, region, release);
                counts.get(host.wave() - 1).get(region).merge(stateKey(host), 1, Integer::sum);
            }
        });
        List<Wave> waves = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < waveCount; i++) {
            Map<String, Integer> total = new TreeMap<>();
            List<Wave.RegionStates> regions = new ArrayList<>();
            int hosts = 0;
            for (Map.Entry<String, Map<String, Integer>> e : counts.get(i).entrySet()) {
                int inRegion = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
                hosts += inRegion;
                e.getValue().forEach((state, n) -> total.merge(state, n, Integer::sum));
                regions.add(new Wave.RegionStates(e.getKey(), inRegion, e.getValue()));
            }
            int to = release.waves().get(i);
            waves.add(new Wave(i + 1, from, to, i <= release.openWave(), hosts, total, regions));
            from = to;
        }
        return waves;
    }

    /**
     * The hosts that match {@code query}, worst first, then by host id. Only the best {@code offset + limit} are kept
     * while reading, so a page near the front costs one pass and little memory.
     */
    static HostPage page(Release release, Map<String, List<HostStatus>> byRegion, Query query) {
        int keep = query.offset() + query.limit();
        PriorityQueue<Ranked> best = new PriorityQueue<>(Math.min(keep, 1024), Collections.reverseOrder(WORST_FIRST));
        int total = 0;
        for (Map.Entry<String, List<HostStatus>> e : byRegion.entrySet()) {
            if (query.region() != null && !query.region().equals(e.getKey())) {
                continue;
            }
            for (HostStatus s : e.getValue()) {
                Host host = host(s, e.getKey(), release);
                String key = stateKey(host);
                if ((query.state() != null && !query.state().equals(key)) || (query.wave() > 0 && query.wave() != host.wave())) {
                    continue;
                }
                total++;
                best.add(new Ranked(host, SEVERITY.indexOf(key)));
                if (best.size() > keep) {
                    best.poll();
                }
            }
        }
        List<Ranked> sorted = new ArrayList<>(best);
        sorted.sort(WORST_FIRST);
        List<Host> items = sorted.stream().skip(query.offset()).map(Ranked::host).toList();
        return new HostPage(total, query.offset(), items);
    }

    private static Host host(HostStatus s, String region, Release release) {
        HostState state = s.state() == null ? HostState.IDLE : s.state();
        boolean onRelease = release == null || matches(s.targetBuildId(), release.buildId()) || matches(s.currentBuildId(), release.buildId());
        return new Host(s.host(), region, wave(s.host(), release), state.name(), onRelease, s.currentBuildId(), s.targetBuildId(),
                s.releaseVersion(), s.error(), s.updatedAt());
    }

    private static boolean matches(Long build, long releaseBuild) {
        return build != null && build == releaseBuild;
    }

    /** The host's wave under {@code release} (1 for the first), or 0 without a release. */
    private static int wave(String hostId, Release release) {
        if (release == null) {
            return 0;
        }
        int percentile = Waves.percentileOf(hostId);
        List<Integer> plan = release.waves();
        for (int i = 0; i < plan.size(); i++) {
            if (percentile < plan.get(i)) {
                return i + 1;
            }
        }
        return plan.size();
    }

    private static String stateKey(Host host) {
        return host.onRelease() ? host.state() : Wave.OTHER_BUILD;
    }
}
