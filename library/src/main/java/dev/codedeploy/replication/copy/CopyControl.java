package dev.codedeploy.replication.copy;

import dev.codedeploy.replication.ReplicaLeaseLostException;
import dev.codedeploy.replication.ReplicationException;

/** What a copy in progress reports to its replicator, and how it learns that it must stop. */
public interface CopyControl {

    /**
     * Throws when the copy must stop: its lease was lost, or the replicator is closing.
     *
     * @throws ReplicaLeaseLostException when another replicator took the copy over
     * @throws ReplicationException      when this thread was interrupted
     */
    void checkOwned();

    /** Records the multipart upload in progress (fenced), so that the next owner resumes it. */
    void uploadStarted(String uploadId);

    /** Adds {@code bytes} to the bytes of the artifact in the region. */
    void progress(long bytes);
}
