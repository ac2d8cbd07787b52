package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.DeploymentLog.RecordedWork.Outcome;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operators' changes to an environment's release record: publish, rollback, pause and resume. Each one is a
 * signed record with a higher version, written to the master with compare-and-set and recorded in
 * {@code deployments} in the same step.
 */
public final class ReleasePublisher {

    private final ReleaseWriter writer;
    private final BuildLookup builds;
    private final DeployLocks locks;
    private final DeploymentLog log;
    private final Function<String, RolloutPolicy> policies;
    private final Clock clock;

    ReleasePublisher(ReleaseWriter writer, BuildLookup builds, DeployLocks locks, DeploymentLog log,
                     Function<String, RolloutPolicy> policies, Clock clock) {
        this.writer = writer;
        this.builds = builds;
        this.locks = locks;
        this.log = log;
        this.policies = policies;
        this.clock = clock;
    }

    /**
     * Publishes {@code buildId} to {@code environment}: hosts may download it at once; the driver opens its waves.
     *
     * @throws InvalidInputException      when the build is unknown, not COMPLETED, not in every region, or already the
     *                                    environment's release
     * @throws DeployLockedException      when a lock or freeze holds and {@code options} does not force
     * @throws ReleaseConflictException   when another publisher wrote the record at the same moment
     */
    public Published publish(String environment, long buildId, String actor, PublishOptions options) {
        ZkLayout.checkEnvironment(environment);
        String who = Actors.check(actor);
        PublishOptions opts = options == null ? PublishOptions.DEFAULTS : options;
        DeployableBuild build = builds.deployable(buildId, environment);
        List<Integer> steps = policies.apply(environment).steps(opts.waves());
        DeploymentLog.Recorded<Release> recorded = log.recordAround(environment, buildId, who, now -> {
            Optional<DeployLock> lock = locks.heldAt(environment, now);
            if (lock.isPresent() && !opts.force()) {
                throw new DeployLockedException(environment, lock.get(), "publish with force and a reason to override it");
            }
            ReleaseNodes.Stored stored = writer.read(environment).orElse(null);
            Release current = stored == null ? null : stored.release();
            if (current != null && opts.deployId() != null && opts.deployId().equals(current.deployId())) {
                throw new ReleaseConflictException("the release of " + environment + " was written by deploy " + opts.deployId()
                        + " meanwhile (version " + current.version() + "): its publication is done; nothing was written again");
            }
            if (current != null && current.buildId() == buildId && !current.rollback()) {
                throw new InvalidInputException("build " + buildId + " is already the release of " + environment + " (version "
                        + current.version() + "): resume or roll back instead of publishing it again");
            }
            Release written = writer.write(environment, stored, ReleaseBuilder.from(ReleaseBuilder.forBuild(environment, build, steps))
                    .previousBuildId(previousBuild(current)).deployId(opts.deployId()).published(who, clock.instant()));
            boolean forced = lock.isPresent();
            String detail = "published build " + buildId + " (" + build.job().sha() + ") as version " + written.version()
                    + ", waves " + written.waves() + (written.previousBuildId() == null ? "" : ", previous build " + written.previousBuildId())
                    + (opts.deployId() == null ? "" : " for deploy " + opts.deployId())
                    + (forced ? "; forced over: " + lock.get().describe() + "; reason: " + Actors.reason(opts.reason()) : "");
            return new Outcome<>(written, forced ? DeploymentAction.PUBLISH_FORCED : DeploymentAction.PUBLISH, written.version(), detail,
                    opts.deployId());
        });
        return new Published(recorded.value(), recorded.deploymentId());
    }

    /**
     * The release version that deploy {@code deployId} published to {@code environment}, if it did: found by its audit
     * row, or by the record in the master carrying its id (a conductor that died between its ZooKeeper write and its
     * database write; the missing audit row is written now, with the version found). A conductor taking the deploy over asks this before
     * publishing, so that a deploy is published at most once.
     */
    public Optional<Long> publishedVersion(String environment, long deployId, String actor) {
        ZkLayout.checkEnvironment(environment);
        Optional<Deployment> row = log.publishOf(deployId);
        if (row.isPresent()) {
            return Optional.ofNullable(row.get().releaseVersion());
        }
        Release current = writer.read(environment).map(ReleaseNodes.Stored::release).orElse(null);
        if (current == null || !Long.valueOf(deployId).equals(current.deployId())) {
            return Optional.empty();
        }
        // the driver's later writes (waves) keep the id: the version found may be past the publish itself
        long version = current.version();
        log.record(environment, current.buildId(), version, deployId, DeploymentAction.PUBLISH, "published build " + current.buildId()
                + " (" + current.sha() + ") as version " + version + " for deploy " + deployId + " (recorded by the conductor that took"
                + " the deploy over: the one before it stopped between its ZooKeeper and database writes)", Actors.check(actor));
        return Optional.of(version);
    }

    /**
     * Rolls {@code environment} back to the build it ran before its current release: every host switches at once
     * (the previous release is still on their disks). Not stopped by locks.
     *
     * @throws RolloutException when there is nothing to go back to
     */
    public Published rollback(String environment, String actor, String reason) {
        return rollback(environment, null, Actors.check(actor), reason, DeploymentAction.ROLLBACK);
    }

    /**
     * Rolls back as {@link #rollback(String, String, String)} does, but only if the record is still {@code expected}
     * (the driver's decision was made on it).
     */
    Published rollback(String environment, ReleaseNodes.Stored expected, String actor, String reason, DeploymentAction action) {
        ZkLayout.checkEnvironment(environment);
        Release current = (expected != null ? Optional.of(expected) : writer.read(environment)).map(ReleaseNodes.Stored::release)
                .orElseThrow(() -> new RolloutException(environment + " has no valid release to roll back"));
        if (current.rollback()) {
            throw new RolloutException(environment + " is already rolled back to build " + current.buildId() + " (version "
                    + current.version() + "): publish a build to move on");
        }
        if (current.previousBuildId() == null) {
            throw new RolloutException(environment + " has no previous build to roll back to: build " + current.buildId()
                    + " is its first release");
        }
        long target = current.previousBuildId();
        DeployableBuild build = builds.completed(target);
        String why = Actors.reason(reason);
        DeploymentLog.Recorded<Release> recorded = log.recordAround(environment, target, actor, now -> {
            Function<Release, ReleaseBuilder> change = r -> {
                if (r.version() != current.version()) {
                    throw new ReleaseConflictException("the release of " + environment + " changed (now version " + r.version()
                            + ") while its rollback was prepared; look at it and try again");
                }
                return ReleaseBuilder.from(ReleaseBuilder.forBuild(environment, build, List.of(100))).openWave(0).rollback(true)
                        .previousBuildId(r.buildId()).published(actor, clock.instant());
            };
            Release written = expected != null ? writer.write(environment, expected, change.apply(expected.release()))
                    : writer.update(environment, change);
            String detail = "rolled back from build " + current.buildId() + " to build " + target + " as version " + written.version()
                    + (why == null ? "" : ": " + why);
            return new Outcome<>(written, action, written.version(), detail);
        });
        return new Published(recorded.value(), recorded.deploymentId());
    }

    /** Pauses the rollout: no further wave opens until {@link #resume}. Hosts of open waves carry on. */
    public Release pause(String environment, String actor) {
        return setPaused(environment, actor, true);
    }

    /** Resumes a paused rollout. */
    public Release resume(String environment, String actor) {
        return setPaused(environment, actor, false);
    }

    private Release setPaused(String environment, String actor, boolean paused) {
        ZkLayout.checkEnvironment(environment);
        String who = Actors.check(actor);
        DeploymentAction action = paused ? DeploymentAction.PAUSE : DeploymentAction.RESUME;
        return log.recordAround(environment, null, who, now -> {
            Release written = writer.update(environment, r -> {
                if (r.paused() == paused) {
                    throw new InvalidInputException("the rollout of " + environment + " is already " + (paused ? "paused" : "running"));
                }
                return ReleaseBuilder.from(r).paused(paused).published(who, clock.instant());
            });
            return new Outcome<>(written, action, written.version(), (paused ? "paused" : "resumed") + " the rollout of build "
                    + written.buildId() + " at wave " + written.openWave() + " (" + written.openPercent() + "%)");
        }).value();
    }

    /**
     * The build the environment runs before a new release replaces {@code current}: the current build once all its
     * waves are open (or it is a rollback), otherwise the build its unfinished rollout started from
     * (or the current one, when it is the first release).
     */
    static Long previousBuild(Release current) {
        if (current == null) {
            return null;
        }
        if (current.rollback() || current.openWave() == current.waves().size() - 1) {
            return current.buildId();
        }
        return current.previousBuildId() != null ? current.previousBuildId() : current.buildId();
    }

    /**
     * A record written.
     *
     * @param release      the record
     * @param deploymentId its row in {@code deployments}: a rollout's outcome is the first ending row after it
     */
    public record Published(Release release, long deploymentId) {
    }
}
