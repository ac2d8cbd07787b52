package dev.codedeploy.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.client.Host;
import dev.codedeploy.client.HostPage;
import dev.codedeploy.client.Wave;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.Waves;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Counting an environment's hosts per wave and state, and paging them worst first. */
class HostViewsTest {

    private static final long BUILD = 7;

    private static Release release(int openWave) {
        return new Release(Release.FORMAT, "production", 5, BUILD, "a".repeat(40), "git://h/r", "builds/a/7/1/artifact",
                "builds/a/7/1/artifact.torrent", "builds/a/7/1/manifest.json", 10, "b".repeat(64), 4 << 20, "FILE", "app.bin", null,
                List.of(10, 50, 100), openWave, false, false, 6L, "alice", Instant.EPOCH);
    }

    private static HostStatus host(String id, String region, long build, HostState state) {
        return new HostStatus(id, region, state == HostState.DOWNLOADING ? 6L : build, build, 5, state, null, null, Instant.EPOCH);
    }

    /** 300 hosts in east (every tenth failed, the rest healthy on the release) and 100 in west still on build 6. */
    private static Map<String, List<HostStatus>> fleet() {
        List<HostStatus> east = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            east.add(host("east-" + i, "east", BUILD, i % 10 == 0 ? HostState.FAILED : HostState.HEALTHY));
        }
        List<HostStatus> west = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            west.add(host("west-" + i, "west", 6, HostState.IDLE));
        }
        Map<String, List<HostStatus>> byRegion = new LinkedHashMap<>();
        byRegion.put("east", east);
        byRegion.put("west", west);
        byRegion.put("south", List.of());
        return byRegion;
    }

    @Test
    void eachHostIsCountedOnceInItsWaveByStateAndRegion() {
        Map<String, List<HostStatus>> fleet = fleet();
        List<Wave> waves = HostViews.waves(release(1), fleet);

        assertThat(waves).extracting(Wave::wave, Wave::fromPercent, Wave::toPercent, Wave::open)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 0, 10, true), org.assertj.core.groups.Tuple.tuple(2, 10, 50, true),
                        org.assertj.core.groups.Tuple.tuple(3, 50, 100, false));
        assertThat(waves.stream().mapToInt(Wave::hosts).sum()).isEqualTo(400);
        assertThat(waves.stream().mapToInt(w -> w.states().getOrDefault("FAILED", 0)).sum()).isEqualTo(30);
        assertThat(waves.stream().mapToInt(w -> w.states().getOrDefault(Wave.OTHER_BUILD, 0)).sum()).isEqualTo(100);
        for (Wave wave : waves) {
            long expected = fleet.values().stream().flatMap(List::stream).filter(h -> Waves.percentileOf(h.host()) >= wave.fromPercent()
                    && Waves.percentileOf(h.host()) < wave.toPercent()).count();
            assertThat(wave.hosts()).as("wave %d", wave.wave()).isEqualTo(expected);
            assertThat(wave.regions()).extracting(Wave.RegionStates::region).containsExactly("east", "west", "south");
            assertThat(wave.regions().stream().mapToInt(Wave.RegionStates::hosts).sum()).isEqualTo(wave.hosts());
            assertThat(wave.regions().get(1).states().keySet()).containsOnly(Wave.OTHER_BUILD);
        }
        assertThat(HostViews.waves(null, fleet)).isEmpty();
    }

    @Test
    void pagesGoWorstFirstThenByHostIdAndCountEveryMatch() {
        Map<String, List<HostStatus>> fleet = fleet();
        HostPage first = HostViews.page(release(2), fleet, new HostViews.Query(null, null, 0, 0, 25));
        HostPage second = HostViews.page(release(2), fleet, new HostViews.Query(null, null, 0, 25, 25));

        assertThat(first.total()).isEqualTo(400);
        assertThat(first.items()).hasSize(25).allMatch(h -> h.state().equals("FAILED"));
        assertThat(first.items()).extracting(Host::host).isSortedAccordingTo(String::compareTo);
        // 30 failed hosts: the second page starts with the last 5 of them, then the hosts on another build
        assertThat(second.items()).extracting(Host::state).startsWith("FAILED", "FAILED", "FAILED", "FAILED", "FAILED", "IDLE");
        assertThat(second.items().get(5).onRelease()).isFalse();
        List<String> all = new ArrayList<>();
        for (int offset = 0; offset < 400; offset += 70) {
            HostViews.page(release(2), fleet, new HostViews.Query(null, null, 0, offset, 70)).items().forEach(h -> all.add(h.host()));
        }
        assertThat(all).hasSize(400).doesNotHaveDuplicates();
    }

    @Test
    void filtersByRegionStateAndWave() {
        Map<String, List<HostStatus>> fleet = fleet();
        HostPage west = HostViews.page(release(0), fleet, new HostViews.Query("west", null, 0, 0, 500));
        HostPage behind = HostViews.page(release(0), fleet, new HostViews.Query(null, Wave.OTHER_BUILD, 0, 0, 500));
        HostPage firstWave = HostViews.page(release(0), fleet, new HostViews.Query("east", "HEALTHY", 1, 0, 500));

        assertThat(west.total()).isEqualTo(100);
        assertThat(west.items()).allMatch(h -> h.region().equals("west") && h.wave() >= 1);
        assertThat(behind.items()).extracting(Host::host).containsExactlyInAnyOrderElementsOf(west.items().stream().map(Host::host).toList());
        assertThat(firstWave.items()).isNotEmpty().allMatch(h -> h.wave() == 1 && Waves.percentileOf(h.host()) < 10
                && h.state().equals("HEALTHY"));
        assertThat(HostViews.page(release(0), fleet, new HostViews.Query("south", null, 0, 0, 10)).total()).isZero();
    }
}
