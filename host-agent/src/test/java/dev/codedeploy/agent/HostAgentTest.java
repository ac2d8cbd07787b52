package dev.codedeploy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.agent.testing.AgentFixture;
import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ZkLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostAgentTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final AgentFixture region = new AgentFixture();

    @AfterEach
    void close() {
        region.close();
    }

    private static boolean in(HostStatus status, HostState state, long build) {
        return status != null && status.state() == state && status.targetBuildId() != null && status.targetBuildId() == build;
    }

    private static String version(AgentConfig config) throws Exception {
        return Files.readString(Path.of(config.dataDir(), "current", "VERSION")).trim();
    }

    @Test
    void hostsDownloadFromPeersWaitForTheirWaveSwitchAndReportHealthy() throws Exception {
        ReleaseFixture.Build v1 = region.releases.appTar(101, "v1", 0, 9 << 20, null);
        ReleaseFixture.Build v2 = region.releases.appTar(102, "v2", 0, 9 << 20, null);
        AgentConfig a = region.config("host-a", AgentConfig.Distribution.P2P, null);
        AgentConfig b = region.config("host-b", AgentConfig.Distribution.P2P, null);
        try (Seeder seeder = new Seeder(region.config("seeder", AgentConfig.Distribution.P2P, null));
             HostAgent hostA = new HostAgent(a); HostAgent hostB = new HostAgent(b)) {
            seeder.start();
            hostA.start();
            hostB.start();
            region.releases.publish(region.zk, region.releases.release(v1, 1, 3, null));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 101) && in(region.status("host-b"), HostState.HEALTHY, 101));
            assertThat(version(a)).isEqualTo("v1");
            assertThat(region.status("host-a").currentBuildId()).isEqualTo(101);
            assertThat(List.of("seeder", "host-a", "host-b")).allMatch(host -> region.serves(host, 101));
            assertThat(region.status("seeder")).as("a seeder is no host of the rollout").isNull();

            // download only: every host fetches and verifies v2, none switches
            region.releases.publish(region.zk, region.releases.release(v2, 2, -1, 101L));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.VERIFIED, 102) && in(region.status("host-b"), HostState.VERIFIED, 102));
            assertThat(version(a)).isEqualTo("v1");
            assertThat(version(b)).isEqualTo("v1");

            region.releases.publish(region.zk, region.releases.release(v2, 3, 3, 101L));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 102) && in(region.status("host-b"), HostState.HEALTHY, 102));
            assertThat(version(a)).isEqualTo("v2");
            assertThat(Files.readSymbolicLink(Path.of(a.dataDir(), "previous"))).isEqualTo(Path.of("releases", "101"));
        }
    }

    @Test
    void aCorruptDownloadIsDiscardedNeverInstalledAndFetchedAgainOnceRepaired() throws Exception {
        ReleaseFixture.Build v1 = region.releases.appTar(201, "v1", 0, 1 << 20, null);
        ReleaseFixture.Build v2 = region.releases.appTar(202, "v2", 0, 1 << 20, null);
        AgentConfig a = region.config("host-a", AgentConfig.Distribution.BLOB, null);
        try (HostAgent host = new HostAgent(a)) {
            host.start();
            region.releases.publish(region.zk, region.releases.release(v1, 1, 3, null));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 201));

            // the regional object is altered: the agent fetches it, finds another sha256, discards it
            Path altered = region.work.resolve("altered");
            byte[] bytes = Files.readAllBytes(v2.artifact());
            bytes[bytes.length / 2] ^= 0x55;
            Files.write(altered, bytes);
            region.store.put(v2.keys().artifact(), altered, Map.of());
            region.releases.publish(region.zk, region.releases.release(v2, 2, 3, 201L));
            await().atMost(PATIENCE).until(() -> region.status("host-a").error() != null && region.status("host-a").error().contains("sha256"));
            HostStatus failed = region.status("host-a");
            assertThat(failed.state()).isEqualTo(HostState.FAILED);
            assertThat(failed.currentBuildId()).isEqualTo(201);
            assertThat(version(a)).isEqualTo("v1");
            assertThat(Path.of(a.dataDir(), "releases", "202")).doesNotExist();

            // repaired: the next attempt succeeds
            region.store.put(v2.keys().artifact(), v2.artifact(), Map.of());
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 202));
            assertThat(version(a)).isEqualTo("v2");
        }
    }

    @Test
    void aFailedHealthCheckSwitchesBackToThePreviousReleaseAndIsNotRetried() throws Exception {
        ReleaseFixture.Build v1 = region.releases.appTar(301, "v1", 0, 1 << 20, null);
        ReleaseFixture.Build bad = region.releases.appTar(302, "bad", 7, 1 << 20, null);
        AgentConfig a = region.config("host-a", AgentConfig.Distribution.BLOB, null);
        try (HostAgent host = new HostAgent(a)) {
            host.start();
            region.releases.publish(region.zk, region.releases.release(v1, 1, 3, null));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 301));
            region.releases.publish(region.zk, region.releases.release(bad, 2, 3, 301L));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.ROLLED_BACK, 302));
            HostStatus status = region.status("host-a");
            assertThat(status.currentBuildId()).isEqualTo(301);
            assertThat(status.error()).contains("health check failed").contains("exited with 7").contains("switched back to build 301");
            assertThat(version(a)).isEqualTo("v1");
            assertThat(Files.readString(Path.of(a.dataDir(), "logs", "302-health.log"))).contains("bad");

            // a new record of the same build (a wave opening) does not try it again
            region.releases.publish(region.zk, region.releases.release(bad, 3, 3, 301L));
            await().atMost(PATIENCE).until(() -> region.status("host-a").releaseVersion() == 3);
            assertThat(region.status("host-a").state()).isEqualTo(HostState.ROLLED_BACK);
            assertThat(version(a)).isEqualTo("v1");
        }
    }

    @Test
    void aReleaseThatDoesNotFitIsRefusedWithAClearErrorAndCurrentStays() throws Exception {
        ReleaseFixture.Build v1 = region.releases.appTar(401, "v1", 0, 1 << 20, null);
        AgentConfig a = region.config("host-a", AgentConfig.Distribution.BLOB, null);
        try (HostAgent host = new HostAgent(a)) {
            host.start();
            region.releases.publish(region.zk, region.releases.release(v1, 1, 3, null));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 401));
        }
        // the same host restarted with a reserve larger than the disk: nothing fits any more
        long disk = Files.getFileStore(region.work).getTotalSpace() >> 20;
        ReleaseFixture.Build v2 = region.releases.appTar(402, "v2", 0, 1 << 20, null);
        AgentConfig full = region.config("host-a", AgentConfig.Distribution.BLOB, disk + 1);
        AgentConfig tight = new AgentConfig(full.hostId(), full.environment(), full.region(), a.dataDir(), full.releasePublicKey(),
                full.zooKeeper(), null, full.blobStore(), full.distribution(), full.bt(), full.install(), full.retryInterval(), full.progressInterval());
        try (HostAgent host = new HostAgent(tight)) {
            host.start();
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 401));
            region.releases.publish(region.zk, region.releases.release(v2, 2, 3, 401L));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.FAILED, 402));
            assertThat(region.status("host-a").error()).contains("disk full").contains("needs").contains("free").contains("untouched");
            assertThat(region.status("host-a").currentBuildId()).isEqualTo(401);
            assertThat(version(a)).isEqualTo("v1");
            assertThat(Path.of(a.dataDir(), "downloads", "402", "artifact")).doesNotExist();
        }
    }

    @Test
    void aHostWaitsForItsRegionsSeederWithoutCountingTheWaitAsAStall() throws Exception {
        ReleaseFixture.Build v1 = region.releases.appTar(601, "v1", 0, 1 << 20, null);
        AgentConfig base = region.config("host-a", AgentConfig.Distribution.P2P, null);
        var bt = base.bt();
        var impatient = new dev.codedeploy.agent.p2p.PeerNetworkConfig(bt.address(), bt.advertiseAddress(), bt.port(),
                bt.peerDiscoveryInterval(), bt.maxPeers(), bt.maxConnections(), bt.seedAfter(), bt.maxDownloadMbps(),
                Duration.ofSeconds(2), bt.piecesPerPeer(), bt.seederSlots());
        AgentConfig a = new AgentConfig(base.hostId(), base.environment(), base.region(), base.dataDir(), base.releasePublicKey(),
                base.zooKeeper(), null, base.blobStore(), base.distribution(), impatient, base.install(), base.retryInterval(),
                base.progressInterval());
        try (HostAgent host = new HostAgent(a)) {
            host.start();
            region.releases.publish(region.zk, region.releases.release(v1, 1, 3, null));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.DOWNLOADING, 601));
            // no seeder yet (a large build is still on its way to it): five stall timeouts pass without a failure
            // (a stalled download would report FAILED within about 7 s: 2 s, then up to 5 s for bt to let go of it)
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15))
                    .until(() -> in(region.status("host-a"), HostState.DOWNLOADING, 601) && region.status("host-a").error() == null);
            try (Seeder seeder = new Seeder(region.config("seeder", AgentConfig.Distribution.P2P, null))) {
                seeder.start();
                await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 601));
            }
        }
    }

    @Test
    void aRestartedAgentKeepsItsReleaseAndFinishesASwitchCutShortByACrash() throws Exception {
        ReleaseFixture.Build v1 = region.releases.appTar(501, "v1", 0, 1 << 20, null);
        AgentConfig a = region.config("host-a", AgentConfig.Distribution.P2P, null);
        try (Seeder seeder = new Seeder(region.config("seeder", AgentConfig.Distribution.P2P, null)); HostAgent host = new HostAgent(a)) {
            seeder.start();
            host.start();
            Release release = region.releases.release(v1, 1, 3, null);
            region.releases.publish(region.zk, release);
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 501));
        }
        // as if the agent died right after switching: the journal says a switch is in progress
        Path state = Path.of(a.dataDir(), "state.json");
        String journal = Files.readString(state).replace("\"healthyBuild\":501", "\"activating\":{\"build\":501}");
        Files.writeString(state, journal);
        try (HostAgent host = new HostAgent(a)) {
            host.start();
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 501));
            assertThat(Files.readString(state)).contains("\"healthyBuild\":501").doesNotContain("activating");
            assertThat(version(a)).isEqualTo("v1");
            // and it seeds its current build again
            await().atMost(PATIENCE).until(() -> region.serves("host-a", 501));
        }
    }

    @Test
    void aFreshHostActsNeitherOnARecordOfAnotherEnvironmentNorOnAStaleOne() throws Exception {
        ReleaseFixture.Build foreign = region.releases.appTar(601, "foreign", 0, 1 << 20, null);
        ReleaseFixture.Build stale = region.releases.appTar(602, "stale", 0, 1 << 20, null);
        ReleaseFixture.Build current = region.releases.appTar(603, "current", 0, 1 << 20, null);
        AgentConfig a = region.config("host-a", AgentConfig.Distribution.BLOB, null);
        Release staging = region.releases.release(foreign, 50, 3, null);
        staging = new Release(staging.format(), "staging", staging.version(), staging.buildId(), staging.sha(), staging.repoUrl(),
                staging.artifactKey(), staging.torrentKey(), staging.manifestKey(), staging.size(), staging.sha256(), staging.pieceSize(),
                staging.artifactFormat(), staging.fileName(), staging.deploy(), staging.waves(), staging.openWave(), false, false, null,
                "fixture", java.time.Instant.now());
        try (HostAgent host = new HostAgent(a)) {
            host.start();
            // a validly signed staging record in this environment's node, then an old record of this environment replayed
            region.releases.publish(region.zk, region.environment, staging, java.time.Instant.now());
            region.releases.publish(region.zk, region.environment, region.releases.release(stale, 60, 3, null),
                    java.time.Instant.now().minus(Duration.ofDays(3)));
            // had either been taken, this lower version would be ignored
            region.releases.publish(region.zk, region.releases.release(current, 3, 3, null));
            await().atMost(PATIENCE).until(() -> in(region.status("host-a"), HostState.HEALTHY, 603));
            assertThat(version(a)).isEqualTo("current");
            assertThat(Path.of(a.dataDir(), "downloads", "601")).doesNotExist();
            assertThat(Path.of(a.dataDir(), "downloads", "602")).doesNotExist();
        }
    }
}
