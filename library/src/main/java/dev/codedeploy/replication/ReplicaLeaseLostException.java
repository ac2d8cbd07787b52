package dev.codedeploy.replication;

/**
 * A fenced write of a copy matched no row: another replicator took the copy over (this one missed its heartbeats),
 * or retention removed the build. The copy stops at once and leaves the region's objects and upload alone.
 */
public class ReplicaLeaseLostException extends ReplicationException {

    /** The lease {@code lease} no longer holds for {@code operation}. */
    public ReplicaLeaseLostException(ReplicaLease lease, String operation) {
        super("replicator " + lease.owner() + " lost build " + lease.jobId() + " in region " + lease.region()
                + " (attempt " + lease.token() + ") before " + operation);
    }
}
