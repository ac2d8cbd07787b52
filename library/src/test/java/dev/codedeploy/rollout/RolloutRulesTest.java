package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.Waves;
import dev.codedeploy.rollout.RolloutRules.Decision;
import dev.codedeploy.rollout.RolloutRules.Step;
import dev.codedeploy.rollout.RolloutRules.WaveTimer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutRulesTest {

    private static final RolloutPolicy POLICY = new RolloutPolicy(List.of(10, 50, 100), 0.9, 0.2, Duration.ofMinutes(5), 100,
            Duration.ofMinutes(30));
    private final WaveTimer timer = new WaveTimer();
    private Instant now = Instant.parse("2026-11-26T10:00:00Z");

    static Release release(int openWave, boolean paused, Long previous) {
        return new Release(Release.FORMAT, "production", 5, 7, "a".repeat(40), "git://h/r", "builds/a/7/1/artifact",
                "builds/a/7/1/artifact.torrent", "builds/a/7/1/manifest.json", 10, "b".repeat(64), 4 << 20, "FILE", "app.bin", null,
                List.of(10, 50, 100), openWave, paused, false, previous, "alice", Instant.EPOCH);
    }

    /** 200 hosts: those below {@code healthyBelow} percent run build 7 healthy, the rest are on build 6. */
    static List<HostStatus> hosts(int healthyBelow, int failedBelow) {
        List<HostStatus> hosts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "host-" + i;
            int p = Waves.percentileOf(id);
            HostStatus s;
            if (p < failedBelow) {
                s = new HostStatus(id, "eu", 6L, 7L, 5, HostState.ROLLED_BACK, null, "health check", Instant.EPOCH);
            } else if (p < healthyBelow) {
                s = new HostStatus(id, "eu", 7L, 7L, 5, HostState.HEALTHY, null, null, Instant.EPOCH);
            } else {
                s = new HostStatus(id, "eu", 6L, 7L, 5, HostState.VERIFIED, null, null, Instant.EPOCH);
            }
            hosts.add(s);
        }
        return hosts;
    }

    private Decision decide(Release release, List<HostStatus> hosts) {
        return RolloutRules.decide(release, WaveProgress.of(release, hosts), POLICY, timer, now);
    }

    @Test
    void firstWaveOpensAsSoonAsTheReleaseIsPublished() {
        assertThat(decide(release(-1, false, 6L), hosts(0, 0)).step()).isEqualTo(Step.OPEN_NEXT);
        assertThat(decide(release(-1, true, 6L), hosts(0, 0)).step()).isEqualTo(Step.WAIT);
    }

    @Test
    void aWaveOpensOnlyAfterItsPredecessorStayedHealthyForTheBakeTime() {
        Release wave0 = release(0, false, 6L);
        assertThat(decide(wave0, hosts(0, 0)).reason()).contains("below");
        now = now.plusSeconds(60);
        assertThat(decide(wave0, hosts(10, 0)).reason()).startsWith("baking");
        now = now.plus(Duration.ofMinutes(5)).minusSeconds(1);
        assertThat(decide(wave0, hosts(10, 0)).step()).isEqualTo(Step.WAIT);
        now = now.plusSeconds(1);
        assertThat(decide(wave0, hosts(10, 0)).step()).isEqualTo(Step.OPEN_NEXT);
    }

    @Test
    void bakeTimeStartsAgainWhenTheWaveIsUnhealthyInBetween() {
        Release wave0 = release(0, false, 6L);
        decide(wave0, hosts(10, 0));
        now = now.plus(Duration.ofMinutes(4));
        assertThat(decide(wave0, hosts(0, 0)).step()).isEqualTo(Step.WAIT);
        now = now.plus(Duration.ofMinutes(2));
        assertThat(decide(wave0, hosts(10, 0)).reason()).startsWith("baking: healthy for 0 s");
    }

    @Test
    void tooManyFailuresRollBackEvenWhilePaused() {
        Decision d = decide(release(0, true, 6L), hosts(10, 5));
        assertThat(d.step()).isEqualTo(Step.ROLLBACK);
        assertThat(d.reason()).contains("failed on build 7");
        assertThat(decide(release(0, false, null), hosts(10, 5)).step()).isEqualTo(Step.FAIL);
    }

    @Test
    void aWaveThatStaysUnhealthyTimesOutUnlessPaused() {
        Release wave0 = release(0, false, 6L);
        decide(wave0, hosts(0, 0));
        now = now.plus(Duration.ofMinutes(30));
        assertThat(decide(release(0, true, 6L), hosts(0, 0)).step()).isEqualTo(Step.WAIT);
        assertThat(decide(wave0, hosts(0, 0)).step()).isEqualTo(Step.ROLLBACK);
    }

    @Test
    void lastWaveCompletesAfterItsBakeTimeAndPauseHoldsTheNextWave() {
        Release last = release(2, false, 6L);
        decide(last, hosts(100, 0));
        now = now.plus(Duration.ofMinutes(5));
        assertThat(decide(last, hosts(100, 0)).step()).isEqualTo(Step.COMPLETE);
        Release pausedWave1 = release(1, true, 6L);
        decide(pausedWave1, hosts(50, 0));
        now = now.plus(Duration.ofMinutes(10));
        assertThat(decide(pausedWave1, hosts(50, 0)).reason()).isEqualTo("paused");
    }

    @Test
    void aHostWhoseNodeVanishedCountsAsDownNotAsGone() {
        Release last = release(2, false, 6L);
        List<HostStatus> all = hosts(100, 0);
        HostStatus gone = all.get(0);
        List<HostStatus> present = all.subList(1, all.size());
        WaveProgress progress = WaveProgress.of(last, present, java.util.Set.of(gone.host()));
        assertThat(progress.hosts()).isEqualTo(200);
        assertThat(progress.activated()).isEqualTo(200);
        assertThat(progress.unavailable()).isEqualTo(1);
        RolloutPolicy strict = new RolloutPolicy(List.of(10, 50, 100), 1.0, 0.2, Duration.ZERO, 100, Duration.ofMinutes(30));
        Decision held = RolloutRules.decide(last, progress, strict, new WaveTimer(), now);
        assertThat(held.step()).isEqualTo(Step.WAIT);
        assertThat(held.reason()).contains("1 hosts missing");
        // without it, the hosts that are back would complete the rollout
        assertThat(RolloutRules.decide(last, WaveProgress.of(last, present), strict, new WaveTimer(), now).step()).isEqualTo(Step.COMPLETE);
    }

    @Test
    void noHostsMeansNoProgress() {
        assertThat(decide(release(-1, false, 6L), List.of()).reason()).contains("no host");
    }

    @Test
    void maxUnavailableHoldsTheNextStepWhileHostsAreDown() {
        RolloutPolicy tight = new RolloutPolicy(List.of(10, 50, 100), 0.5, 0.9, Duration.ZERO, 30, Duration.ofMinutes(30));
        Release wave0 = release(0, false, 6L);
        List<HostStatus> hosts = new ArrayList<>(hosts(10, 0));
        // one activated host is switching: 1 unavailable + the next step's hosts exceed 30 % of 200
        for (int i = 0; i < hosts.size(); i++) {
            HostStatus h = hosts.get(i);
            if (h.state() == HostState.HEALTHY) {
                hosts.set(i, new HostStatus(h.host(), "eu", 6L, 7L, 5, HostState.SWITCHING, null, null, Instant.EPOCH));
                break;
            }
        }
        Decision held = RolloutRules.decide(wave0, WaveProgress.of(wave0, hosts), tight, timer, now);
        assertThat(held.reason()).contains("maxUnavailable");
        Decision free = RolloutRules.decide(wave0, WaveProgress.of(wave0, hosts(10, 0)), tight, new WaveTimer(), now);
        assertThat(free.step()).isEqualTo(Step.OPEN_NEXT);
    }

    @Test
    void wavePlansAreSplitIntoStepsNoLargerThanMaxUnavailable() {
        assertThat(WavePlans.split(List.of(1, 10, 50, 100), 25)).containsExactly(1, 10, 30, 50, 75, 100);
        assertThat(WavePlans.split(List.of(1, 10, 50, 100), 50)).containsExactly(1, 10, 50, 100);
        assertThat(WavePlans.split(List.of(100), 30)).containsExactly(25, 50, 75, 100);
    }
}
