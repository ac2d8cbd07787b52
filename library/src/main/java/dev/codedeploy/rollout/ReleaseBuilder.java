package dev.codedeploy.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.release.Release;
import java.time.Instant;
import java.util.List;

/** Copies a {@link Release} with some fields changed (records have no withers). */
final class ReleaseBuilder {

    private final Release base;
    private long version;
    private List<Integer> waves;
    private int openWave;
    private boolean paused;
    private boolean rollback;
    private Long previousBuildId;
    private String publishedBy;
    private Instant publishedAt;
    private Long deployId;

    private ReleaseBuilder(Release base) {
        this.base = base;
        this.version = base.version();
        this.waves = base.waves();
        this.openWave = base.openWave();
        this.paused = base.paused();
        this.rollback = base.rollback();
        this.previousBuildId = base.previousBuildId();
        this.publishedBy = base.publishedBy();
        this.publishedAt = base.publishedAt();
        this.deployId = base.deployId();
    }

    static ReleaseBuilder from(Release release) {
        return new ReleaseBuilder(release);
    }

    /** A first record for {@code build} in {@code environment}: version 0 (set on write), download only. */
    static Release forBuild(String environment, DeployableBuild build, List<Integer> waves) {
        JsonNode deploy = build.manifest().deploy();
        return new Release(Release.FORMAT, environment, 0, build.job().id(), build.job().sha(), build.job().repoUrl(),
                build.job().artifactKey(), build.job().torrentKey(), build.job().manifestKey(), build.job().artifactSize(),
                build.job().artifactSha256(), build.manifest().pieceSize(), build.manifest().format(), build.manifest().fileName(),
                deploy, waves, -1, false, false, null, null, null);
    }

    ReleaseBuilder version(long v) {
        this.version = v;
        return this;
    }

    ReleaseBuilder waves(List<Integer> w) {
        this.waves = w;
        return this;
    }

    ReleaseBuilder openWave(int w) {
        this.openWave = w;
        return this;
    }

    ReleaseBuilder paused(boolean p) {
        this.paused = p;
        return this;
    }

    ReleaseBuilder rollback(boolean r) {
        this.rollback = r;
        return this;
    }

    ReleaseBuilder previousBuildId(Long id) {
        this.previousBuildId = id;
        return this;
    }

    /** The deploy that publishes the build (kept by the driver's later writes, cleared by a rollback's). */
    ReleaseBuilder deployId(Long id) {
        this.deployId = id;
        return this;
    }

    ReleaseBuilder published(String by, Instant at) {
        this.publishedBy = by;
        this.publishedAt = at;
        return this;
    }

    Release build() {
        return new Release(base.format(), base.environment(), version, base.buildId(), base.sha(), base.repoUrl(), base.artifactKey(),
                base.torrentKey(), base.manifestKey(), base.size(), base.sha256(), base.pieceSize(), base.artifactFormat(),
                base.fileName(), base.deploy(), waves, openWave, paused, rollback, previousBuildId, publishedBy, publishedAt, deployId);
    }
}
