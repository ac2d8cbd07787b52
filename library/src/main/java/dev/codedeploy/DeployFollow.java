package dev.codedeploy;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.RegionCounts;
import dev.codedeploy.client.StageTiming;
import dev.codedeploy.deploys.Deploys;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Follows a recorded deploy for the facade: reads its events from the database, passes them to the request's listener
 * on the caller's thread as {@link DeployEvent}s, and turns its end into a {@link DeployResult}.
 */
final class DeployFollow {

    private static final Duration POLL = Duration.ofMillis(200);
    /** Past the deploy's own deadline, how long to wait for its conductor to record the timeout. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final Deploys deploys;
    private final DeployRequest request;
    private final long id;
    private long lastEvent;

    DeployFollow(Deploys deploys, Deploy created, DeployRequest request) {
        this.deploys = deploys;
        this.request = request;
        this.id = created.id();
    }

    DeployResult await() throws InterruptedException {
        Instant deadline = Instant.now().plus(request.timeout()).plus(GRACE);
        Deploy deploy = deploys.get(id);
        try {
            while (true) {
                boolean ended = pass();
                if (ended || (!request.waitForRollout() && deploy.state().ordinal() >= DeployState.ROLLING_OUT.ordinal())) {
                    deploy = deploys.get(id);
                    if (deploy.timedOut()) {
                        throw new DeployTimeoutException(deploy.error(), result(deploy));
                    }
                    if (!deploy.isFinal()) {
                        request.listener().onEvent(new DeployEvent(DeployStage.SUCCEEDED, "published release version "
                                + deploy.releaseVersion() + " of " + deploy.environment() + "; not waiting for the rollout", 1.0, Instant.now()));
                        return result(deploy, DeployStage.SUCCEEDED);
                    }
                    return result(deploy);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new DeployTimeoutException("deploy " + id + " did not finish within " + request.timeout() + " (it is "
                            + deploy.state() + "; is a codedeploy server with a deploy conductor running?)", result(deploys.get(id)));
                }
                Thread.sleep(POLL.toMillis());
                deploy = deploys.get(id);
            }
        } catch (InterruptedException e) {
            if (request.cancelBuildOnStop()) {
                try {
                    deploys.cancel(id, request.requestedBy() + " (stopped waiting)");
                } catch (ConflictException ended) {
                    // it ended meanwhile: nothing to cancel
                }
            }
            throw e;
        }
    }

    /** Passes the new events on; true when one of them ended the deploy. */
    private boolean pass() {
        boolean ended = false;
        List<dev.codedeploy.client.DeployEvent> events;
        do {
            events = deploys.events(id, lastEvent, 200);
            for (dev.codedeploy.client.DeployEvent e : events) {
                lastEvent = e.id();
                if (e.state() == DeployState.REQUESTED) {
                    // the facade's callers saw the queue first, once the build job existed: the request's own lines stay in the history
                    continue;
                }
                request.listener().onEvent(new DeployEvent(stage(e.state(), e.stage()), e.message(), e.fraction(), e.at()));
                ended |= e.state().isFinal();
            }
        } while (events.size() == 200);
        return ended;
    }

    private DeployResult result(Deploy deploy) {
        return result(deploy, stage(deploy.state(), null));
    }

    private DeployResult result(Deploy deploy, DeployStage stage) {
        Map<DeployStage, Duration> timings = new EnumMap<>(DeployStage.class);
        for (StageTiming t : deploy.timings()) {
            timings.put(DeployStage.valueOf(t.stage().name()), t.duration());
        }
        List<RegionResult> regions = deploy.regions().stream().map(DeployFollow::region).toList();
        String error = stage == DeployStage.SUCCEEDED ? null : deploy.error();
        return new DeployResult(deploy.jobId() == null ? 0 : deploy.jobId(), deploy.sha(), deploy.environment(), stage,
                deploy.artifactSha256(), deploy.artifactSize(), regions, java.util.Collections.unmodifiableMap(timings), error);
    }

    private static RegionResult region(RegionCounts r) {
        return new RegionResult(r.region(), r.hosts(), r.onBuild(), r.healthy(), r.failed());
    }

    /** The facade's stage of a deploy's state: the timing stage while it runs; SUPERSEDED ends as FAILED. */
    static DeployStage stage(DeployState state, StageTiming.Stage timing) {
        return switch (state) {
            case SUCCEEDED -> DeployStage.SUCCEEDED;
            case CANCELLED -> DeployStage.CANCELLED;
            case FAILED, SUPERSEDED -> DeployStage.FAILED;
            default -> timing == null ? DeployStage.QUEUED : DeployStage.valueOf(timing.name());
        };
    }
}
