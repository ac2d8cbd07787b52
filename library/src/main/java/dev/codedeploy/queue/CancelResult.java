package dev.codedeploy.queue;

/** What {@link JobQueue#cancel(long, String)} did. */
public enum CancelResult {
    /** It was QUEUED and is now CANCELLED. */
    CANCELLED,
    /** It is RUNNING: its worker stops at the next heartbeat and marks it CANCELLED. */
    CANCEL_REQUESTED,
    /** It had already finished; nothing changed. */
    ALREADY_FINISHED,
    /** No such job. */
    NOT_FOUND
}
