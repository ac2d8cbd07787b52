package dev.codedeploy.client;

import java.time.Instant;

/**
 * The body of the action endpoints (cancel, rollback, lock, pause, resume, unlock): every field optional unless the
 * endpoint says so.
 *
 * @param reason why, for the history (required by rollback and lock)
 * @param until  a lock's end: a freeze window until then (lock only)
 */
public record ActionRequest(String reason, Instant until) {

    /** A request with only a reason. */
    public static ActionRequest because(String reason) {
        return new ActionRequest(reason, null);
    }
}
