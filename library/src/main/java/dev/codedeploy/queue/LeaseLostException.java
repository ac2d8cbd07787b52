package dev.codedeploy.queue;

import dev.codedeploy.CodeDeployException;

/** A fenced write matched no row: the job was requeued, claimed by another attempt or finished. */
public class LeaseLostException extends CodeDeployException {

    private final Lease lease;

    /** The lease that no longer holds. */
    public LeaseLostException(Lease lease, String what) {
        super("lease lost on job " + lease.jobId() + " attempt " + lease.attempt() + " (" + lease.workerId()
                + "): " + what + " rejected");
        this.lease = lease;
    }

    /** The lease that was lost. */
    public Lease lease() {
        return lease;
    }
}
