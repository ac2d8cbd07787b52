package dev.codedeploy.replication.copy;

import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.BlobStoreException;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.blob.UploadedPart;
import dev.codedeploy.replication.ReplicationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Copies one object from the master store to a region: with S3's server-side copy when both share an endpoint,
 * streamed through this process otherwise; in parts (several at once) above the region's multipart threshold.
 *
 * <p>A multipart copy first asks the region which parts of an earlier attempt's upload it already holds and sends
 * only the others, so a replicator that restarts mid-copy does not copy again what is there. The object only
 * appears in the region when the upload completes, so a half-copied object is never visible.
 */
public final class ObjectCopier {

    /** S3 allows at most this many parts. */
    static final int MAX_PARTS = 10_000;

    private final S3BlobStore master;
    private final S3BlobStore region;
    private final boolean serverSide;
    private final ExecutorService partThreads;

    public ObjectCopier(S3BlobStore master, S3BlobStore region, boolean serverSide, ExecutorService partThreads) {
        this.master = master;
        this.region = region;
        this.serverSide = serverSide;
        this.partThreads = partThreads;
    }

    /** The method this copier uses. */
    public CopyMethod method() {
        return serverSide ? CopyMethod.SERVER_SIDE : CopyMethod.STREAMED;
    }

    /**
     * Copies {@code key} ({@code size} bytes whose sha256 must be {@code sha256}) with {@code metadata}.
     *
     * @param resumeUploadId a multipart upload of an earlier attempt to resume, or null
     * @param onPart         called after each part reaches the region
     * @return true when the copy proved on the way that the region received the build's bytes (sha256 of every byte
     *         read from the master, and the region's MD5 of every part it received equal to ours); false when the
     *         region's copy must be read back to be verified (server-side copies, stores whose ETags are not MD5s)
     * @throws ChecksumMismatchException when the region received other bytes than were sent
     * @throws SourceMissingException    when the master's bytes do not have the build's sha256
     */
    public boolean copy(String key, long size, String sha256, Map<String, String> metadata, String resumeUploadId, CopyControl control,
                 PartListener onPart) {
        BlobStoreConfig target = region.config();
        boolean inParts = size > target.multipartThreshold();
        try {
            if (serverSide) {
                ServerSideCopy copy = new ServerSideCopy(master, region, this, partThreads);
                if (inParts) {
                    copy.inParts(key, size, metadata, resumeUploadId, control, onPart);
                } else {
                    copy.whole(key, metadata);
                    control.progress(size);
                }
                return false;
            }
            if (!inParts) {
                return new StreamedCopy(master, region).whole(key, size, sha256, metadata, control);
            }
            FanOutCopy.Target only = new FanOutCopy.Target(region, this, resumeUploadId, control, onPart);
            new FanOutCopy(master, partThreads).copy(key, size, sha256, partSize(size), metadata, java.util.List.of(only));
            Throwable failure = only.failure();
            if (failure != null) {
                throw failure instanceof RuntimeException r ? r
                        : new ReplicationException("copy of " + key + " to region " + region.name() + " failed: " + failure, failure);
            }
            return only.proven();
        } catch (BlobNotFoundException e) {
            throw e;
        } catch (BlobStoreException e) {
            throw new ReplicationException("copy of " + key + " to region " + region.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** The part size for {@code size} bytes: the region's, or larger when S3's 10,000 parts would not hold them. */
    public long partSize(long size) {
        return Math.max(region.config().partSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
    }

    /**
     * The parts the region holds for {@code uploadId}, or null when there is no upload to resume (none was started,
     * or it was completed or aborted since).
     */
    Map<Integer, UploadedPart> partsOf(String key, String uploadId) {
        return uploadId == null ? null : region.uploadedParts(key, uploadId).orElse(null);
    }

    /** Starts a multipart upload and records it on the row, so that the next owner can resume it. */
    String startUpload(String key, Map<String, String> metadata, CopyControl control) {
        String uploadId = region.startMultipart(key, metadata);
        control.uploadStarted(uploadId);
        return uploadId;
    }

    /** Completes the upload with {@code parts} (in order) and tidies other uploads of the key. */
    void complete(String key, String uploadId, List<UploadedPart> parts, CopyControl control) {
        control.checkOwned();
        region.completeMultipart(key, uploadId, parts);
        abortOtherUploads(key, uploadId);
    }

    /** Aborts uploads of {@code key} other than {@code keep}: left by replicators that died before recording them. */
    public void abortOtherUploads(String key, String keep) {
        try {
            for (String uploadId : region.multipartUploads(key)) {
                if (!uploadId.equals(keep)) {
                    region.abortMultipart(key, uploadId);
                }
            }
        } catch (BlobStoreException ignored) {
            // only tidying: a lifecycle rule on the bucket removes abandoned uploads too
        }
    }

    /** The cause of a failed part, as the exception to throw. */
    static RuntimeException unwrap(String key, String region, java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new ReplicationException("copy of " + key + " to region " + region + " failed: " + cause, cause);
    }

    /** Called after each part. */
    @FunctionalInterface
    public interface PartListener {
        /** Part {@code partNumber} of {@code bytes} bytes reached the region. */
        void partCopied(int partNumber, long bytes);
    }
}
