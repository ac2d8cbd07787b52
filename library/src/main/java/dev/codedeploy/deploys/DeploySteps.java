package dev.codedeploy.deploys;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming.Stage;
import dev.codedeploy.config.Durations;
import dev.codedeploy.deploys.DeployStore.Event;
import dev.codedeploy.queue.CancelResult;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.replication.ReplicaStatus;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.replication.gate.GateDecision;
import dev.codedeploy.rollout.DeployLockedException;
import dev.codedeploy.rollout.Deployment;
import dev.codedeploy.rollout.DeploymentAction;
import dev.codedeploy.rollout.PublishOptions;
import dev.codedeploy.rollout.ReleaseConflictException;
import dev.codedeploy.rollout.ReleasePublisher;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutOutcome;
import dev.codedeploy.rollout.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a conductor does with one deploy at each period: first the deadline, a pending cancel and supersession, then the
 * step of its state. Every step only looks and, at most, makes one fenced write, so a deploy taken over by another
 * conductor resumes from its recorded state; the only step with an effect outside the database, the publish, first
 * asks whether this deploy already published.
 */
final class DeploySteps {

    private static final Logger log = LoggerFactory.getLogger(DeploySteps.class);

    private final DeployStore store;
    private final JobQueue queue;
    private final DeployGate gate;
    private final RolloutControlPlane plane;
    private final Duration progressInterval;
    private final Map<Long, Shown> shown = new ConcurrentHashMap<>();

    /** What this conductor last wrote for a deploy, to write progress only when it changed and not too often. */
    private static final class Shown {
        String message;
        long atNanos;
        String jobStage;
    }

    /**
     * @param plane the control plane, or null in a process that cannot publish: it takes deploys up to PUBLISHING and
     *              hands them over there
     */
    DeploySteps(DeployStore store, JobQueue queue, DeployGate gate, RolloutControlPlane plane, Duration progressInterval) {
        this.store = store;
        this.queue = queue;
        this.gate = gate;
        this.plane = plane;
        this.progressInterval = progressInterval;
    }

    /** Forgets what was shown for a deploy this conductor no longer holds. */
    void forget(long deployId) {
        shown.remove(deployId);
    }

    /** What became of a deploy after a step. */
    enum Next {
        /** Still this conductor's: step it again next period. */
        AGAIN,
        /** Ended, or no longer this conductor's. */
        DONE,
        /** It needs what this conductor lacks (a control plane, to publish and follow the rollout): let another take it. */
        HAND_OVER
    }

    /**
     * Takes the deploy one step.
     *
     * @throws DeployLeaseLostException when another conductor took it
     */
    Next advance(DeployLease lease) {
        DeployRow row = store.find(lease.deployId()).orElseThrow(() -> new DeployLeaseLostException(lease, "a step (the deploy is gone)"));
        if (row.attempt() != lease.attempt() || row.state().isFinal()) {
            return Next.DONE;
        }
        if (plane == null && (row.state() == DeployState.PUBLISHING || row.state() == DeployState.ROLLING_OUT)) {
            return Next.HAND_OVER;
        }
        if (row.pastDeadline()) {
            timeOut(lease, row);
        } else if (row.cancelRequested()) {
            cancel(lease, row);
        } else if (row.state().isSupersedable() && supersede(lease, row)) {
            return Next.DONE;
        } else {
            switch (row.state()) {
                case REQUESTED -> start(lease, row);
                case BUILDING -> build(lease, row);
                case REPLICATING -> replicate(lease, row);
                case PUBLISHING -> publish(lease, row);
                case ROLLING_OUT -> rollOut(lease, row);
                default -> throw new IllegalStateException("deploy " + row.id() + " is " + row.state());
            }
        }
        return store.find(lease.deployId()).map(r -> r.state().isFinal()).orElse(true) ? Next.DONE : Next.AGAIN;
    }

    // ---- REQUESTED: reuse a build of the commit, or queue one

    private void start(DeployLease lease, DeployRow row) {
        Optional<Job> existing = store.reusableJob(row.sha(), row.repoUrl()).flatMap(queue::find);
        if (existing.isPresent() && existing.get().status() == dev.codedeploy.queue.JobStatus.COMPLETED) {
            Job job = existing.get();
            store.change(lease, row.state(), DeployChange.stay(), new Event(Stage.QUEUED, "build " + job.id() + " of " + row.sha()
                    + " is already COMPLETED (stored " + job.finishedAt() + "): reusing it", null));
            store.change(lease, row.state(), DeployChange.to(DeployState.REPLICATING).job(job.id(), false),
                    new Event(Stage.REPLICATING, stored(job), null));
        } else if (existing.isPresent()) {
            Job job = existing.get();
            store.change(lease, row.state(), DeployChange.to(DeployState.BUILDING).job(job.id(), false), new Event(Stage.QUEUED,
                    "build job " + job.id() + " of this commit is already " + job.status() + ": waiting for it", null));
        } else {
            Job job = queue.enqueue(row.repoUrl(), row.sha(), row.requestedBy());
            store.change(lease, row.state(), DeployChange.to(DeployState.BUILDING).job(job.id(), true),
                    new Event(Stage.QUEUED, "queued build job " + job.id() + " for " + job.sha(), null));
        }
    }

    // ---- BUILDING: follow the job

    private void build(DeployLease lease, DeployRow row) {
        Job job = queue.find(row.jobId()).orElseThrow(() -> new IllegalStateException("deploy " + row.id() + "'s job " + row.jobId() + " is gone"));
        Shown seen = shown(row.id());
        switch (job.status()) {
            case QUEUED -> { }
            case RUNNING -> {
                if (job.stage() != null && !job.stage().equals(seen.jobStage)) {
                    seen.jobStage = job.stage();
                    write(lease, row, Stage.BUILDING, "job " + job.id() + " attempt " + job.attempt() + " on " + job.workerId() + ": "
                            + job.stage().toLowerCase().replace('_', ' '), null);
                }
            }
            case COMPLETED -> {
                if (seen.jobStage == null && job.startedAt() != null && job.finishedAt() != null) {
                    // built between two periods: still one line for the stage
                    write(lease, row, Stage.BUILDING, "job " + job.id() + " attempt " + job.attempt() + " on " + job.workerId()
                            + ": built in " + Durations.format(Duration.between(job.startedAt(), job.finishedAt())), null);
                }
                store.change(lease, DeployState.BUILDING, DeployChange.to(DeployState.REPLICATING), new Event(Stage.REPLICATING, stored(job), null));
            }
            case FAILED, CANCELLED -> {
                String why = "build job " + job.id() + " " + job.status() + (job.error() == null ? "" : ": " + firstLine(job.error()));
                finish(lease, row, DeployState.FAILED, DeployChange.to(DeployState.FAILED).error(job.error() == null ? why : job.error()), why);
            }
        }
    }

    private String stored(Job job) {
        return "build " + job.id() + " stored (" + job.artifactSize() + " bytes, sha256 " + job.artifactSha256() + "); copying it to "
                + gate.regions().size() + " region(s)";
    }

    // ---- REPLICATING: wait for the gate, then for the environment

    private void replicate(DeployLease lease, DeployRow row) {
        long build = row.jobId();
        GateDecision decision = gate.decide(build, row.environment());
        if (!decision.allowed()) {
            Map<String, ReplicaStatus> regions = gate.replicas(build);
            long done = regions.values().stream().filter(s -> s == ReplicaStatus.COMPLETED).count();
            String waiting = regions.entrySet().stream().filter(e -> e.getValue() != ReplicaStatus.COMPLETED)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            report(lease, row, Stage.REPLICATING, "build " + build + " in " + done + " of " + regions.size() + " regions (waiting: "
                    + waiting + ")", regions.isEmpty() ? null : (double) done / regions.size());
            return;
        }
        String via = decision.deployable() ? "every region holds build " + build
                : "build " + build + " let through by a recorded override (" + decision.describe() + ")";
        Long blocker = store.enterPublishing(lease, row.environment(), new Event(Stage.PUBLISHING, via + "; publishing it to "
                + row.environment(), null));
        if (blocker != null) {
            report(lease, row, Stage.REPLICATING, via + "; waiting for deploy " + blocker + " to finish its rollout to " + row.environment(),
                    null);
        }
    }

    // ---- PUBLISHING: at most once

    private void publish(DeployLease lease, DeployRow row) {
        Optional<Long> earlier = plane.publishedVersion(row.environment(), row.id(), row.requestedBy());
        long version;
        String line;
        if (earlier.isPresent()) {
            version = earlier.get();
            line = "release version " + version + " of " + row.environment() + " was already published for this deploy (by the conductor"
                    + " before this one); following its rollout";
        } else {
            ReleasePublisher.Published published;
            try {
                published = plane.publish(row.environment(), row.jobId(), row.requestedBy(), PublishOptions.forDeploy(row.id()));
            } catch (ReleaseConflictException e) {
                log.info("deploy {}: {}; looking again at the next period", row.id(), e.getMessage());
                return;
            } catch (DeployLockedException | InvalidInputException e) {
                String why = "cannot publish build " + row.jobId() + " to " + row.environment() + ": " + e.getMessage();
                finish(lease, row, DeployState.FAILED, DeployChange.to(DeployState.FAILED).error(why), why);
                return;
            }
            version = published.release().version();
            line = "published release version " + version + " (waves " + published.release().waves()
                    + "); hosts download now and switch as their wave opens";
        }
        store.change(lease, DeployState.PUBLISHING, DeployChange.to(DeployState.ROLLING_OUT).releaseVersion(version),
                new Event(Stage.ROLLING_OUT, line, null));
    }

    // ---- ROLLING_OUT: the audit rows after the publish say how it ends

    private void rollOut(DeployLease lease, DeployRow row) {
        long cursor = row.auditCursor() == null ? 0 : row.auditCursor();
        long build = row.jobId();
        List<Deployment> rows = plane.history().after(row.environment(), cursor, 100);
        for (Deployment audit : rows) {
            cursor = audit.id();
            boolean ownPublish = (audit.action() == DeploymentAction.PUBLISH || audit.action() == DeploymentAction.PUBLISH_FORCED)
                    && audit.releaseVersion() != null && audit.releaseVersion().equals(row.releaseVersion());
            RolloutOutcome.Result result = ownPublish ? null : RolloutOutcome.of(audit, build);
            if (result != null) {
                ended(lease, row, result, audit);
                return;
            }
        }
        RolloutStatus status = plane.status(row.environment());
        DeployChange change = DeployChange.stay().regions(DeployViews.regionsJson(RolloutLines.regions(status, build)));
        if (row.auditCursor() == null || cursor != row.auditCursor()) {
            change.auditCursor(cursor);
        }
        report(lease, row, change, Stage.ROLLING_OUT, RolloutLines.describe(status, build), RolloutLines.fraction(status));
    }

    private void ended(DeployLease lease, DeployRow row, RolloutOutcome.Result result, Deployment audit) {
        long build = row.jobId();
        String regions = DeployViews.regionsJson(RolloutLines.regions(plane.status(row.environment()), build));
        String detail = audit.detail() == null ? "" : ": " + audit.detail();
        switch (result) {
            case COMPLETED -> finish(lease, row, DeployState.SUCCEEDED, DeployChange.to(DeployState.SUCCEEDED).regions(regions),
                    "every host runs build " + build + " healthy");
            case SUPERSEDED -> {
                String why = "release version " + audit.releaseVersion() + " of " + row.environment() + " was published over this rollout by "
                        + audit.actor() + detail;
                finish(lease, row, DeployState.SUPERSEDED, DeployChange.to(DeployState.SUPERSEDED).regions(regions).error(why), why);
            }
            default -> {
                String why = "the rollout of build " + build + " ended " + result + detail;
                finish(lease, row, DeployState.FAILED, DeployChange.to(DeployState.FAILED).regions(regions).error(why), why);
            }
        }
    }

    // ---- deadline, cancel, supersession

    private void timeOut(DeployLease lease, DeployRow row) {
        String job = cancelOwnJob(row, "deploy " + row.id() + " timed out");
        String why = "timed out: deploy " + row.id() + " did not finish by its deadline " + row.deadlineAt() + " (it was " + row.state() + ")"
                + job + (row.state() == DeployState.ROLLING_OUT ? "; the release stays published and the driver goes on" : "");
        finish(lease, row, DeployState.FAILED, DeployChange.to(DeployState.FAILED).timedOut().error(why), why);
    }

    private void cancel(DeployLease lease, DeployRow row) {
        String by = row.cancelledBy() == null ? "unknown" : row.cancelledBy();
        String what = switch (row.state()) {
            case REQUESTED -> " before it started";
            case BUILDING -> " while building" + cancelOwnJob(row, "deploy " + row.id() + " cancelled by " + by);
            case REPLICATING -> " while its build was copied to the regions";
            case PUBLISHING, ROLLING_OUT -> stopRollout(row, by);
            default -> "";
        };
        String why = "cancelled by " + by + what;
        finish(lease, row, DeployState.CANCELLED, DeployChange.to(DeployState.CANCELLED).error(why), why);
    }

    /** Takes back a rollout this deploy started: a rollback when there is a build to go back to, else a pause. */
    private String stopRollout(DeployRow row, String by) {
        boolean published = row.state() == DeployState.ROLLING_OUT
                || plane.publishedVersion(row.environment(), row.id(), row.requestedBy()).isPresent();
        if (!published) {
            return " before its release was published";
        }
        var release = plane.release(row.environment()).orElse(null);
        if (release == null || release.buildId() != row.jobId() || release.rollback()) {
            return " during the rollout (the environment's release has moved on: nothing to take back)";
        }
        if (release.previousBuildId() != null) {
            var back = plane.rollback(row.environment(), by, "cancel of deploy " + row.id()).release();
            return " during the rollout: rolled back to build " + back.buildId() + " (release version " + back.version() + ")";
        }
        if (!release.paused()) {
            plane.pause(row.environment(), by);
        }
        return " during the rollout: paused at " + release.openPercent() + "% of the hosts (build " + row.jobId()
                + " is the environment's first release: nothing to roll back to)";
    }

    private boolean supersede(DeployLease lease, DeployRow row) {
        Optional<Long> newer = store.newerThan(row.environment(), row.id());
        if (newer.isEmpty()) {
            return false;
        }
        String why = "superseded by deploy " + newer.get() + ", requested later for " + row.environment()
                + cancelOwnJob(row, "deploy " + row.id() + " superseded by deploy " + newer.get());
        finish(lease, row, DeployState.SUPERSEDED, DeployChange.to(DeployState.SUPERSEDED).supersededBy(newer.get()).error(why), why);
        return true;
    }

    /** Cancels the build this deploy queued, when no other unfinished deploy waits for it; says what it did. */
    private String cancelOwnJob(DeployRow row, String by) {
        if (row.state() != DeployState.BUILDING || !row.ownJob() || row.jobId() == null || store.otherUsersOf(row.jobId(), row.id()) > 0) {
            return "";
        }
        CancelResult result = queue.cancel(row.jobId(), by);
        return switch (result) {
            case CANCELLED -> "; its build job " + row.jobId() + " was cancelled";
            case CANCEL_REQUESTED -> "; its build job " + row.jobId() + " stops at its worker's next heartbeat";
            default -> "";
        };
    }

    // ---- writes

    private void finish(DeployLease lease, DeployRow row, DeployState end, DeployChange change, String line) {
        store.change(lease, row.state(), change, new Event(null, line, 1.0));
        forget(row.id());
        log.info("deploy {} of {} to {}: {}: {}", row.id(), row.sha(), row.environment(), end, line);
    }

    /** Writes a line now (a step the reader must see). */
    private void write(DeployLease lease, DeployRow row, Stage stage, String line, Double fraction) {
        store.change(lease, row.state(), DeployChange.stay(), new Event(stage, line, fraction));
        Shown seen = shown(row.id());
        seen.message = line;
        seen.atNanos = System.nanoTime();
    }

    private void report(DeployLease lease, DeployRow row, Stage stage, String line, Double fraction) {
        report(lease, row, DeployChange.stay(), stage, line, fraction);
    }

    /** Writes progress when it changed, at most once per progress interval (the first of a state at once). */
    private void report(DeployLease lease, DeployRow row, DeployChange change, Stage stage, String line, Double fraction) {
        Shown seen = shown(row.id());
        boolean changed = !line.equals(seen.message);
        boolean due = seen.message == null || System.nanoTime() - seen.atNanos >= progressInterval.toNanos();
        if (changed && due) {
            store.change(lease, row.state(), change, new Event(stage, line, fraction));
            seen.message = line;
            seen.atNanos = System.nanoTime();
        } else if (change.auditCursor != null) {
            store.change(lease, row.state(), change, null);
        }
    }

    private Shown shown(long deployId) {
        return shown.computeIfAbsent(deployId, id -> new Shown());
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
