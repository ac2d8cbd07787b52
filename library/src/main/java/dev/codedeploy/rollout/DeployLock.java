package dev.codedeploy.rollout;

import dev.codedeploy.json.Json;
import java.time.Instant;

/**
 * What lies in {@code /codedeploy/<env>/lock} of the master: a deploy lock (until unlocked) or a freeze window (until
 * its end). While one is held, publishing needs {@code force} and a reason.
 *
 * @param kind      LOCK or FREEZE
 * @param actor     who took it
 * @param reason    why
 * @param createdAt when, on the database clock
 * @param until     the end of a freeze window (database clock); null for a lock
 */
public record DeployLock(Kind kind, String actor, String reason, Instant createdAt, Instant until) {

    /** A lock or a freeze. */
    public enum Kind { LOCK, FREEZE }

    /** True while it holds at {@code now} (a freeze ends at {@code until}). */
    public boolean heldAt(Instant now) {
        return kind == Kind.LOCK || until == null || now.isBefore(until);
    }

    /** A sentence for errors and status. */
    public String describe() {
        return (kind == Kind.LOCK ? "locked" : "frozen until " + until) + " by " + actor + " since " + createdAt + ": " + reason;
    }

    byte[] toBytes() {
        return Json.write(this);
    }

    static DeployLock fromBytes(byte[] data, String where) {
        return Json.read(data, DeployLock.class, where);
    }
}
