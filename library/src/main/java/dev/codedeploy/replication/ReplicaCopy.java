package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.S3BlobStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one build into one region: the artifact, then its .torrent, then its manifest (last, as in the master: a
 * manifest in a store means the rest is there). An object counts only once its bytes in the region are proven to have
 * the build's sha256: on the way for a streamed artifact (see {@link StreamedCopy}), else by reading it back. An
 * object already in the region is kept when it reads back right (a resumed copy does no work twice) and deleted when
 * it does not.
 */
final class ReplicaCopy {

    private static final Logger log = LoggerFactory.getLogger(ReplicaCopy.class);

    private final RegionStores stores;
    private final ExecutorService partThreads;
    private final ReplicationListener listener;
    private final ReplicationMetrics metrics;

    ReplicaCopy(RegionStores stores, ExecutorService partThreads, ReplicationListener listener, ReplicationMetrics metrics) {
        this.stores = stores;
        this.partThreads = partThreads;
        this.listener = listener;
        this.metrics = metrics;
    }

    /**
     * Copies and verifies every object of {@code work}.
     *
     * @throws SourceMissingException     when the master lacks an object or holds other bytes than the job recorded
     * @throws ChecksumMismatchException  when the region's bytes did not match after the copy (they were deleted)
     * @throws ReplicaLeaseLostException  when another replicator took the copy over
     */
    void run(ReplicaWork work, CopyControl control) {
        if (work.artifactKey() == null || work.artifactSize() == null || work.artifactSha256() == null) {
            throw new SourceMissingException("build " + work.jobId() + " is COMPLETED but its job records no artifact key, size and sha256");
        }
        S3BlobStore master = stores.master();
        S3BlobStore region = stores.region(work.region());
        ReplicaKey replica = new ReplicaKey(work.jobId(), work.region());
        ObjectCopier copier = new ObjectCopier(master, region, stores.sharesEndpointWithMaster(work.region()), partThreads);

        BlobInfo source = master.head(work.artifactKey()).orElseThrow(() -> new SourceMissingException(
                "source object " + work.artifactKey() + " of build " + work.jobId() + " is missing from the master blob store ("
                        + master.config() + "): it was deleted or never stored, so no region can get it"));
        if (source.size() != work.artifactSize()) {
            throw new SourceMissingException("source object " + work.artifactKey() + " of build " + work.jobId() + " has "
                    + source.size() + " bytes in the master blob store but its job recorded " + work.artifactSize());
        }
        copyArtifact(replica, work, source, region, copier, control);
        if (work.torrentKey() != null) {
            copySmall(replica, work.torrentKey(), master, region, control);
        }
        if (work.manifestKey() != null) {
            copySmall(replica, work.manifestKey(), master, region, control);
        }
    }

    private void copyArtifact(ReplicaKey replica, ReplicaWork work, BlobInfo source, S3BlobStore region, ObjectCopier copier,
                              CopyControl control) {
        String key = work.artifactKey();
        long size = work.artifactSize();
        if (alreadyThere(replica, region, key, size, work.artifactSha256(), control)) {
            copier.abortOtherUploads(key, "");
            control.progress(size);
            return;
        }
        boolean proven;
        try {
            proven = copier.copy(key, size, work.artifactSha256(), metadataOf(source), work.uploadId(), control,
                    (part, bytes) -> listener.partCopied(replica, key, part, bytes));
        } catch (ChecksumMismatchException e) {
            mismatch(replica, region, key, e.getMessage());
            throw e;
        }
        metrics.bytes(work.region(), size);
        if (!proven) {
            verify(replica, region, key, size, work.artifactSha256(), control);
        }
        listener.objectCopied(replica, key, copier.method(), size);
    }

    private void copySmall(ReplicaKey replica, String key, S3BlobStore master, S3BlobStore region, CopyControl control) {
        control.checkOwned();
        byte[] bytes;
        BlobInfo info;
        try {
            info = master.head(key).orElseThrow(() -> new BlobNotFoundException(master.name(), key));
            bytes = master.getBytes(key);
        } catch (BlobNotFoundException e) {
            throw new SourceMissingException("source object " + key + " of build " + replica.jobId()
                    + " is missing from the master blob store (" + master.config() + ")");
        }
        String sha256 = ReadBack.sha256(bytes);
        if (alreadyThere(replica, region, key, bytes.length, sha256, control)) {
            return;
        }
        region.putBytes(key, bytes, contentType(key), metadataOf(info));
        verify(replica, region, key, bytes.length, sha256, control);
        listener.objectCopied(replica, key, CopyMethod.STREAMED, bytes.length);
    }

    /** True when the region holds {@code key} with the right bytes; deletes it when it holds other bytes. */
    private boolean alreadyThere(ReplicaKey replica, S3BlobStore region, String key, long size, String sha256, CopyControl control) {
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

    private void verify(ReplicaKey replica, S3BlobStore region, String key, long size, String sha256, CopyControl control) {
        ReadBack.Digest found;
        try {
            found = ReadBack.of(region, key, control);
        } catch (BlobNotFoundException e) {
            throw new ChecksumMismatchException("region " + region.name() + " lost " + key + " right after it was copied");
        }
        if (!found.matches(size, sha256)) {
            String detail = found.size() + " bytes with sha256 " + found.sha256() + ", expected " + size + " bytes with sha256 " + sha256;
            mismatch(replica, region, key, detail);
            throw new ChecksumMismatchException("region " + region.name() + " read back " + key + " as " + detail + ": deleted, copying again");
        }
    }

    private void mismatch(ReplicaKey replica, S3BlobStore region, String key, String detail) {
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

    private static String contentType(String key) {
        if (key.endsWith(".json")) {
            return "application/json";
        }
        return key.endsWith(".torrent") ? "application/x-bittorrent" : "application/octet-stream";
    }

    /** The metadata of the master's copy, which a region keeps as is. */
    static Map<String, String> metadataOf(BlobInfo info) {
        return info.metadata() == null ? Map.of() : info.metadata();
    }
}
