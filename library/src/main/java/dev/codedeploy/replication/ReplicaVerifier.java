package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.replication.copy.ChecksumMismatchException;
import dev.codedeploy.replication.copy.CopyControl;
import dev.codedeploy.replication.copy.ReadBack;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads replicas back and compares them with the build: before a copy (is it already there?), after a copy that could
 * not prove itself on the way, and in audits of COMPLETED replicas. A replica with other bytes is deleted.
 */
final class ReplicaVerifier {

    private static final Logger log = LoggerFactory.getLogger(ReplicaVerifier.class);

    private final RegionStores stores;
    private final ReplicationListener listener;
    private final ReplicationMetrics metrics;

    ReplicaVerifier(RegionStores stores, ReplicationListener listener, ReplicationMetrics metrics) {
        this.stores = stores;
        this.listener = listener;
        this.metrics = metrics;
    }

    /** True when the region holds {@code key} with the right bytes; deletes it when it holds other bytes. */
    boolean alreadyThere(ReplicaKey replica, S3BlobStore region, String key, long size, String sha256, CopyControl control) {
        Optional<BlobInfo> there = region.head(key);
        if (there.isEmpty()) {
            return false;
        }
        if (there.get().size() == size) {
            ReadBack.Digest found = ReadBack.of(region, key, control);
            if (found.matches(size, sha256)) {
                listener.objectSkipped(replica, key);
                return true;
            }
            mismatch(replica, region, key, found.size() + " bytes with sha256 " + found.sha256() + ", expected sha256 " + sha256);
        } else {
            mismatch(replica, region, key, there.get().size() + " bytes, expected " + size);
        }
        return false;
    }

    /**
     * Reads {@code key} back from the region.
     *
     * @throws ChecksumMismatchException when it does not have the build's size and sha256 (it was deleted)
     */
    void verify(ReplicaKey replica, S3BlobStore region, String key, long size, String sha256, CopyControl control) {
        ReadBack.Digest found;
        try {
            found = ReadBack.of(region, key, control);
        } catch (BlobNotFoundException e) {
            throw new ChecksumMismatchException("region " + region.name() + " lost " + key + " right after it was copied", true);
        }
        if (!found.matches(size, sha256)) {
            String detail = found.size() + " bytes with sha256 " + found.sha256() + ", expected " + size + " bytes with sha256 " + sha256;
            mismatch(replica, region, key, detail);
            throw new ChecksumMismatchException("region " + region.name() + " read back " + key + " as " + detail + ": deleted, copying again", true);
        }
    }

    /** Records a bad replica and deletes it. */
    void mismatch(ReplicaKey replica, S3BlobStore region, String key, String detail) {
        log.warn("replica of build {} in region {} is corrupt: {} holds {}; deleting it", replica.jobId(), region.name(), key, detail);
        metrics.mismatch(region.name());
        listener.mismatchDetected(replica, key, detail);
        region.delete(key);
    }

    /**
     * Reads back every object of a COMPLETED replica.
     *
     * @return null when all match, else what was wrong (the bad objects are deleted)
     */
    String audit(ReplicaWork work) {
        S3BlobStore region = stores.region(work.region());
        ReplicaKey replica = new ReplicaKey(work.jobId(), work.region());
        StringBuilder problems = new StringBuilder();
        auditOne(replica, region, work.artifactKey(), work.artifactSize(), work.artifactSha256(), problems);
        for (String key : new String[] {work.torrentKey(), work.manifestKey()}) {
            if (key != null) {
                byte[] bytes = stores.master().getBytes(key);
                auditOne(replica, region, key, bytes.length, ReadBack.sha256(bytes), problems);
            }
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    private void auditOne(ReplicaKey replica, S3BlobStore region, String key, long size, String sha256, StringBuilder problems) {
        String detail;
        try {
            ReadBack.Digest found = ReadBack.of(region, key, null);
            if (found.matches(size, sha256)) {
                return;
            }
            detail = found.size() + " bytes with sha256 " + found.sha256() + ", expected " + size + " bytes with sha256 " + sha256;
            mismatch(replica, region, key, detail);
        } catch (BlobNotFoundException e) {
            detail = "missing";
            metrics.mismatch(region.name());
            listener.mismatchDetected(replica, key, detail);
        }
        problems.append(problems.length() == 0 ? "" : "; ").append(key).append(": ").append(detail);
    }
}
