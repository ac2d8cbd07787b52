package dev.codedeploy.deploys;

import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming;
import dev.codedeploy.database.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code deploys} and {@code deploy_events} tables: requests, the conductors' leases and fenced writes, cancels,
 * and the history. Every call is one short READ COMMITTED transaction, retried on deadlock.
 */
final class DeployStore {

    /** Every fenced write and its outcome: DEBUG when accepted, WARN when a stale conductor is refused. */
    private static final Logger fenced = LoggerFactory.getLogger("dev.codedeploy.deploys.fenced");
    private static final int MAX_MESSAGE = 2000;
    private static final int MAX_ERROR = 16_000;

    private final Database database;

    DeployStore(Database database) {
        this.database = database.addMapper(DeployMapper.class);
    }

    Database database() {
        return database;
    }

    /** Records a request and its first event; returns its id. */
    long insert(DeployMapper.NewDeploy row, String firstMessage) {
        return database.inTransaction(DeployMapper.class, m -> {
            m.insert(row);
            m.insertEvent(row.id, DeployState.REQUESTED, StageTiming.Stage.QUEUED, clip(firstMessage, MAX_MESSAGE), null);
            return row.id;
        });
    }

    Optional<DeployRow> find(long id) {
        return Optional.ofNullable(database.inTransaction(DeployMapper.class, m -> m.find(id)));
    }

    List<DeployRow> recent(String environment, boolean activeOnly, Long beforeId, int limit) {
        return database.inTransaction(DeployMapper.class, m -> m.findRecent(environment, activeOnly, beforeId, limit));
    }

    List<DeployRow> rollingOut(String environment) {
        return database.inTransaction(DeployMapper.class, m -> m.findRollingOut(environment));
    }

    /**
     * Claims up to {@code max} unfinished deploys whose lease is free or passed (only those in {@code only} when not
     * null), bumping each one's attempt.
     */
    List<DeployLease> claim(String conductor, int max, Duration lease, List<Long> only) {
        if (max <= 0 || (only != null && only.isEmpty())) {
            return List.of();
        }
        return database.inTransaction(DeployMapper.class, m -> {
            List<Long> ids = m.lockClaimable(max, only);
            if (ids.isEmpty()) {
                return List.of();
            }
            m.markClaimed(ids, conductor, micros(lease));
            return m.leases(ids);
        });
    }

    /** Extends the lease; false when it no longer holds (another conductor took the deploy, or it ended). */
    boolean renew(DeployLease lease, Duration length) {
        boolean held = database.inTransaction(DeployMapper.class, m -> m.renew(lease, micros(length))) == 1;
        if (!held) {
            fenced.info("fenced renew deploy={} attempt={} conductor={} result=rejected", lease.deployId(), lease.attempt(), lease.conductor());
        }
        return held;
    }

    /** Lets the deploy go at once (a conductor that stops), so that another conductor takes it without waiting. */
    void release(DeployLease lease) {
        database.inTransaction(DeployMapper.class, m -> m.release(lease));
    }

    /**
     * Applies {@code change} if {@code lease} still holds and the deploy is still in {@code from}, and records
     * {@code event} (its message also the row's newest line) in the same transaction.
     *
     * @throws DeployLeaseLostException when the write matched no row
     */
    void change(DeployLease lease, DeployState from, DeployChange change, Event event) {
        DeployState state = change.to == null ? from : change.to;
        if (event != null) {
            change.message(clip(event.message(), MAX_MESSAGE));
        }
        if (change.error != null) {
            change.error(clip(change.error, MAX_ERROR));
        }
        int rows = database.inTransaction(DeployMapper.class, m -> {
            int n = m.change(lease, from, change);
            if (n == 1 && event != null) {
                m.insertEvent(lease.deployId(), state, state.isFinal() ? null : event.stage(), change.message, event.fraction());
            }
            return n;
        });
        recordFenced(change.to == null ? "progress" : from + "->" + change.to, lease, rows == 1);
        if (rows != 1) {
            throw new DeployLeaseLostException(lease, change.to == null ? "a progress write" : "the move from " + from + " to " + change.to);
        }
    }

    /**
     * Moves {@code lease}'s deploy from REPLICATING to PUBLISHING unless another deploy of its environment is past its
     * build, with the environment's deploys locked meanwhile so that two conductors never both move one there.
     *
     * @return the id of the deploy that holds the environment, or null when this one moved to PUBLISHING
     * @throws DeployLeaseLostException when the lease no longer holds
     */
    Long enterPublishing(DeployLease lease, String environment, Event event) {
        Long blocker = database.inTransaction(DeployMapper.class, m -> {
            for (Long id : m.lockPastBuild(environment)) {
                if (id != lease.deployId() && m.state(id) != DeployState.REPLICATING) {
                    return id;
                }
            }
            DeployChange change = DeployChange.to(DeployState.PUBLISHING).auditCursor(m.lastAuditId(environment))
                    .message(clip(event.message(), MAX_MESSAGE));
            if (m.change(lease, DeployState.REPLICATING, change) != 1) {
                return -1L;
            }
            m.insertEvent(lease.deployId(), DeployState.PUBLISHING, event.stage(), change.message, event.fraction());
            return null;
        });
        recordFenced("REPLICATING->PUBLISHING", lease, blocker == null || blocker != -1L);
        if (blocker != null && blocker == -1L) {
            throw new DeployLeaseLostException(lease, "the move from REPLICATING to PUBLISHING");
        }
        return blocker;
    }

    /** The newest deploy of {@code environment} requested after {@code id}, if any. */
    Optional<Long> newerThan(String environment, long id) {
        return Optional.ofNullable(database.inTransaction(DeployMapper.class, m -> m.newestAfter(environment, id)));
    }

    /** How many other unfinished deploys use {@code jobId}. */
    int otherUsersOf(long jobId, long deployId) {
        return database.inTransaction(DeployMapper.class, m -> m.activeUsersOfJob(jobId, deployId));
    }

    /** The build job a deploy of this commit can use, if any. */
    Optional<Long> reusableJob(String sha, String repoUrl) {
        return Optional.ofNullable(database.inTransaction(DeployMapper.class, m -> m.reusableJob(sha, repoUrl)));
    }

    /** Marks a cancel as asked; false when the deploy is final, unknown or already asked. */
    boolean requestCancel(long id, String by) {
        return database.inTransaction(DeployMapper.class, m -> m.requestCancel(id, by)) == 1;
    }

    /** Cancels at once a deploy no conductor holds yet, with its final event; false when one does, or it moved on. */
    boolean cancelUnclaimed(long id, String by) {
        String why = "cancelled by " + by + " before it started";
        return database.inTransaction(DeployMapper.class, m -> {
            if (m.cancelUnclaimed(id, by, why) != 1) {
                return false;
            }
            m.insertEvent(id, DeployState.CANCELLED, null, why, 1.0);
            return true;
        });
    }

    List<DeployEvent> events(long deployId, long afterId, int limit) {
        return database.inTransaction(DeployMapper.class, m -> m.events(deployId, afterId, limit));
    }

    List<DeployEvent> allEventsAfter(long afterId, int limit) {
        return database.inTransaction(DeployMapper.class, m -> m.allEventsAfter(afterId, limit));
    }

    long lastEventId() {
        return database.inTransaction(DeployMapper.class, DeployMapper::lastEventId);
    }

    Instant now() {
        return database.inTransaction(DeployMapper.class, DeployMapper::now);
    }

    /**
     * An event to record with a write.
     *
     * @param stage    the timing stage it counts in
     * @param message  the line
     * @param fraction progress within the state, or null
     */
    record Event(StageTiming.Stage stage, String message, Double fraction) {
    }

    private static void recordFenced(String what, DeployLease lease, boolean accepted) {
        if (accepted) {
            fenced.debug("fenced {} deploy={} attempt={} conductor={} result=accepted", what, lease.deployId(), lease.attempt(), lease.conductor());
        } else {
            fenced.warn("fenced {} deploy={} attempt={} conductor={} result=rejected (stale conductor)", what, lease.deployId(),
                    lease.attempt(), lease.conductor());
        }
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
