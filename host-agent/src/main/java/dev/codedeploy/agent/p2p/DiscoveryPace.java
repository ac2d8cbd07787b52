package dev.codedeploy.agent.p2p;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a downloading host next asks ZooKeeper for peers: every {@code interval}, and sooner while it knows none.
 *
 * <p>At publication every host of a region joins at once, and the first round of each finds peer nodes that do not
 * yet say they serve the build (their hosts join a moment later). Waiting a whole interval (5 s) after such a round
 * costs every host those seconds. A round that found nobody is followed by another after {@link #FIRST_RETRY}, then
 * after twice that, and so on up to the interval: a host that finds nobody costs ZooKeeper at most about
 * log2(interval / FIRST_RETRY) extra rounds (3 with the defaults), and one that found peers none at all.
 */
final class DiscoveryPace {

    /** The first retry after a round that found no peer. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);

    private final Duration interval;
    private final Clock clock;
    private Instant next = Instant.MIN;
    private Duration retry = FIRST_RETRY;

    DiscoveryPace(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** A pace that finds a round due at every call (an interval of zero). */
    static DiscoveryPace everyCall() {
        return new DiscoveryPace(Duration.ZERO, Clock.systemUTC());
    }

    /** How often bt should ask: often enough for the first retry, never more often than the interval asks. */
    static Duration btInterval(Duration interval) {
        return interval.compareTo(FIRST_RETRY) < 0 ? interval : FIRST_RETRY;
    }

    /** True when a round is due now. */
    boolean due() {
        return !clock.instant().isBefore(next);
    }

    /** A round found {@code peers} peers: schedules the next. */
    void roundFound(int peers) {
        Instant now = clock.instant();
        if (peers == 0 && retry.compareTo(interval) < 0) {
            next = now.plus(retry);
            retry = retry.multipliedBy(2);
        } else {
            next = now.plus(interval);
            if (peers > 0) {
                retry = FIRST_RETRY;
            }
        }
    }
}
