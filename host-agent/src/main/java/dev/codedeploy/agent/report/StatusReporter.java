package dev.codedeploy.agent.report;

import dev.codedeploy.config.ByteSizes;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.zookeeper.EphemeralNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link HostStatus} in its ephemeral node {@code hosts/<bucket>/<host>/status} and in the log. A change of
 * state, target or error is written at once and logged; download progress is written only as {@link ProgressThrottle}
 * allows (every 10 % and a jittered {@code progressInterval}, whichever is later) and logged at most every five
 * seconds.
 */
public final class StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
    private static final Duration PROGRESS_LOG_INTERVAL = Duration.ofSeconds(5);

    private final String host;
    private final String region;
    private final EphemeralNode node;
    private final Clock clock;
    private final ProgressThrottle throttle;
    private HostStatus last;
    private boolean written;
    private Instant lastProgressLog = Instant.EPOCH;

    /** A reporter writing {@code node} (its data is replaced at every report). */
    public StatusReporter(String host, String region, EphemeralNode node, Clock clock, Duration progressInterval) {
        this(host, region, node, clock, progressInterval, new SplittableRandom());
    }

    /** A reporter whose progress writes are jittered by {@code random}. */
    public StatusReporter(String host, String region, EphemeralNode node, Clock clock, Duration progressInterval, RandomGenerator random) {
        this.host = host;
        this.region = region;
        this.node = node;
        this.clock = clock;
        this.throttle = new ProgressThrottle(clock, progressInterval, random);
        this.last = new HostStatus(host, region, null, null, 0, HostState.IDLE, null, null, clock.instant());
    }

    /**
     * Reports a state: written when anything but the time changed (an unchanged report costs nothing), logged when
     * the state, builds or error changed.
     */
    public synchronized void report(HostState state, Long current, Long target, long releaseVersion, HostStatus.Progress progress, String error) {
        HostStatus status = new HostStatus(host, region, current, target, releaseVersion, state, progress, error, clock.instant());
        boolean changed = status.state() != last.state() || !Objects.equals(target, last.targetBuildId())
                || !Objects.equals(current, last.currentBuildId()) || !Objects.equals(error, last.error());
        if (!changed && releaseVersion == last.releaseVersion() && Objects.equals(progress, last.progress()) && written) {
            return;
        }
        written = true;
        last = status;
        node.setData(status.toBytes());
        if (changed) {
            throttle.restart();
            if (error == null) {
                LOG.info("{}: current build {}, target build {} (release version {})", state, current, target, releaseVersion);
            } else {
                LOG.warn("{}: current build {}, target build {} (release version {}): {}", state, current, target, releaseVersion, error);
            }
        }
    }

    /** Reports download progress in the current state: logged every five seconds, written as the throttle allows. */
    public synchronized void progress(HostStatus.Progress progress) {
        Instant now = clock.instant();
        if (throttle.due(progress)) {
            last = new HostStatus(host, region, last.currentBuildId(), last.targetBuildId(), last.releaseVersion(), last.state(),
                    progress, last.error(), now);
            node.setData(last.toBytes());
        }
        if (LOG.isInfoEnabled() && Duration.between(lastProgressLog, now).compareTo(PROGRESS_LOG_INTERVAL) >= 0) {
            lastProgressLog = now;
            LOG.info("build {}: {}/{} pieces, {} of {}, {} peer(s)", last.targetBuildId(), progress.piecesDone(), progress.piecesTotal(),
                    ByteSizes.format(progress.bytesDone()), ByteSizes.format(progress.bytesTotal()), progress.peers());
        }
    }

    /** The status last reported. */
    public synchronized HostStatus last() {
        return last;
    }
}
