package dev.codedeploy.queue;

import java.util.List;

/**
 * What one pass of the heartbeat monitor did with the RUNNING jobs whose heartbeat was stale, by job id.
 *
 * @param requeued  put back in the queue for another attempt
 * @param failed    FAILED: they had used all their attempts
 * @param cancelled CANCELLED: a cancel was pending
 */
public record StaleJobs(List<Long> requeued, List<Long> failed, List<Long> cancelled) {

    /** Nothing was stale. */
    public static final StaleJobs NONE = new StaleJobs(List.of(), List.of(), List.of());

    /** Copies the lists. */
    public StaleJobs {
        requeued = List.copyOf(requeued);
        failed = List.copyOf(failed);
        cancelled = List.copyOf(cancelled);
    }

    /** How many jobs moved. */
    public int total() {
        return requeued.size() + failed.size() + cancelled.size();
    }

    /** For the monitor's log line: {@code requeued [3, 7], failed [9]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        append(s, "requeued", requeued);
        append(s, "failed (no attempts left)", failed);
        append(s, "cancelled (cancel pending)", cancelled);
        return s.length() == 0 ? "none" : s.toString();
    }

    private static void append(StringBuilder s, String what, List<Long> ids) {
        if (!ids.isEmpty()) {
            s.append(s.length() == 0 ? "" : ", ").append(what).append(' ').append(ids);
        }
    }

    /** One stale row as the monitor's lock read it: its id and the status it moves to. */
    record Row(long id, JobStatus outcome) {
    }
}
