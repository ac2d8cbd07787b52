package dev.codedeploy.api;

import dev.codedeploy.client.AuditEntry;
import dev.codedeploy.client.Build;
import dev.codedeploy.client.BuildReplica;
import dev.codedeploy.client.Rollout;
import dev.codedeploy.queue.Job;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.Release;
import dev.codedeploy.replication.Replica;
import dev.codedeploy.rollout.DeployLock;
import dev.codedeploy.rollout.Deployment;
import dev.codedeploy.rollout.RegionStatus;
import dev.codedeploy.rollout.RolloutStatus;
import dev.codedeploy.rollout.WaveProgress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The library's records as the API's wire model ({@code dev.codedeploy.client}): what clients and the dashboard read. */
final class ApiViews {

    private ApiViews() {
    }

    static dev.codedeploy.client.Job job(Job j) {
        return new dev.codedeploy.client.Job(j.id(), j.status().name(), j.repoUrl(), j.sha(), j.requestedBy(), j.createdAt(), j.startedAt(),
                j.finishedAt(), j.lastHeartbeat(), j.attempt(), j.maxAttempts(), j.workerId(), j.stage(), j.cancelRequested(), j.error(),
                j.artifactSize(), j.artifactSha256(), j.logKey() != null, j.requeues(), j.lastRequeueReason(), j.lastRequeuedAt());
    }

    static Build build(Job j, boolean deployable, List<Replica> replicas) {
        return new Build(j.id(), j.sha(), j.repoUrl(), j.finishedAt(), j.artifactSize(), j.artifactSha256(), deployable,
                replicas.stream().map(ApiViews::replica).toList());
    }

    private static BuildReplica replica(Replica r) {
        return new BuildReplica(r.region(), r.status().name(), r.attempts(), r.bytesCopied(), r.error(), r.updatedAt(), r.verifiedAt());
    }

    static Rollout rollout(RolloutStatus status, DeployLock lock, String driver, Long activeDeployId) {
        return new Rollout(status.environment(), release(status.release()), lock(lock),
                status.regions().stream().map(ApiViews::region).toList(), progress(status.progress()), driver, activeDeployId);
    }

    private static Rollout.Release release(Release r) {
        return r == null ? null : new Rollout.Release(r.version(), r.buildId(), r.sha(), r.waves(), r.openWave(), r.openPercent(),
                r.paused(), r.rollback(), r.previousBuildId(), r.publishedBy(), r.publishedAt(), r.deployId());
    }

    private static Rollout.Lock lock(DeployLock l) {
        return l == null ? null : new Rollout.Lock(l.kind().name(), l.actor(), l.reason(), l.createdAt(), l.until());
    }

    private static Rollout.Region region(RegionStatus r) {
        List<Rollout.BuildHosts> builds = r.builds().entrySet().stream().map(e -> new Rollout.BuildHosts(e.getKey(), states(e.getValue())))
                .toList();
        return new Rollout.Region(r.region(), r.connected(), r.releaseVersion(), r.hosts(), builds);
    }

    private static Map<String, Integer> states(Map<HostState, Integer> states) {
        Map<String, Integer> named = new TreeMap<>();
        states.forEach((state, n) -> named.put(state.name(), n));
        return named;
    }

    private static Rollout.Progress progress(WaveProgress p) {
        return p == null ? null : new Rollout.Progress(p.hosts(), p.activated(), p.healthy(), p.failed(), p.unavailable(), p.downloaded(),
                p.missing());
    }

    static AuditEntry audit(Deployment d) {
        return new AuditEntry(d.id(), d.environment(), d.jobId(), d.releaseVersion(), d.action().name(), d.detail(), d.actor(), d.createdAt());
    }
}
