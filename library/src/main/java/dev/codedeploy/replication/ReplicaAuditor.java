package dev.codedeploy.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads COMPLETED replicas back, a batch at a time, oldest check first, among the builds within the look-back. A
 * replica whose bytes differ from the build (bit rot, a hand-edited file, a truncated object) is deleted and its row
 * goes back to PENDING with the reason, so the replicator copies it again at once. Each row is taken with a
 * conditional update, so several replicators never read the same replica in one interval.
 */
final class ReplicaAuditor {

    private final ReplicationConfig config;
    private final ReplicaTable table;
    private final ReplicaVerifier verifier;

    ReplicaAuditor(ReplicationConfig config, ReplicaTable table, ReplicaVerifier verifier) {
        this.config = config;
        this.table = table;
        this.verifier = verifier;
    }

    /**
     * Audits one batch in the regions other than {@code down}.
     *
     * @return how many replicas were bad (and are copied again)
     */
    int auditOnce(List<String> regions, Set<String> down) {
        List<String> up = new ArrayList<>(regions);
        up.removeAll(down);
        if (up.isEmpty()) {
            return 0;
        }
        int bad = 0;
        for (ReplicaWork work : table.takeAudits(up, config.auditInterval(), config.lookback(), config.auditBatch())) {
            String problems = verifier.audit(work);
            if (problems != null) {
                bad++;
                table.reopen(new ReplicaKey(work.jobId(), work.region()), "audit found a bad replica, copying again: " + problems);
            }
        }
        return bad;
    }
}
