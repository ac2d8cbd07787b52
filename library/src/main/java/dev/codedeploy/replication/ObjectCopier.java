package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Copies one object from the master store to a region: with S3's server-side copy when both share an endpoint,
 * streamed through this process otherwise; in parts (several at once) above the region's multipart threshold.
 *
 * <p>A multipart copy first asks the region which parts of an earlier attempt's upload it already holds and sends
 * only the others, so a replicator that restarts mid-copy does not copy again what is there. The object only
 * appears in the region when the upload completes, so a half-copied object is never visible.
 */
final class ObjectCopier {

    /** S3 allows at most this many parts. */
    private static final int MAX_PARTS = 10_000;

    private final S3BlobStore master;
    private final S3BlobStore region;
    private final boolean serverSide;
    private final ExecutorService partThreads;

    ObjectCopier(S3BlobStore master, S3BlobStore region, boolean serverSide, ExecutorService partThreads) {
        this.master = master;
        this.region = region;
        this.serverSide = serverSide;
        this.partThreads = partThreads;
    }

    /** The method this copier uses. */
    CopyMethod method() {
        return serverSide ? CopyMethod.SERVER_SIDE : CopyMethod.STREAMED;
    }

    /**
     * Copies {@code key} ({@code size} bytes) with {@code metadata}.
     *
     * @param resumeUploadId a multipart upload of an earlier attempt to resume, or null
     * @param onPart         called after each part reaches the region
     */
    void copy(String key, long size, Map<String, String> metadata, String resumeUploadId, CopyControl control, PartListener onPart) {
        BlobStoreConfig target = region.config();
        try {
            if (size <= target.multipartThreshold()) {
                copyWhole(key, size, metadata);
                control.progress(size);
            } else {
                copyInParts(key, size, metadata, resumeUploadId, control, onPart);
            }
        } catch (SdkException e) {
            throw new ReplicationException("copy of " + key + " to region " + region.name() + " failed: " + e.getMessage(), e);
        }
    }

    private void copyWhole(String key, long size, Map<String, String> metadata) {
        S3Client s3 = region.client();
        String bucket = region.config().bucket();
        if (serverSide) {
            s3.copyObject(b -> b.sourceBucket(master.config().bucket()).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(metadata));
            return;
        }
        if (size == 0) {
            s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).contentLength(0L), RequestBody.empty());
            return;
        }
        try (SourceStreams streams = new SourceStreams(key, 0, size)) {
            s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).contentLength(size),
                    RequestBody.fromContentProvider(streams, size, "application/octet-stream"));
        }
    }

    private void copyInParts(String key, long size, Map<String, String> metadata, String resumeUploadId, CopyControl control,
                             PartListener onPart) {
        S3Client s3 = region.client();
        String bucket = region.config().bucket();
        long partSize = Math.max(region.config().partSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
        int parts = (int) ((size + partSize - 1) / partSize);
        Map<Integer, Part> done = resumeUploadId == null ? Map.of() : partsOf(key, resumeUploadId);
        String uploadId = done == null ? null : resumeUploadId;
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)).uploadId();
            control.uploadStarted(uploadId);
            done = Map.of();
        }
        String upload = uploadId;
        List<CompletedPart> completed = new ArrayList<>(parts);
        List<Future<CompletedPart>> inFlight = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Semaphore window = new Semaphore(region.config().uploadThreads());
        try {
            for (int number = 1; number <= parts && failure.get() == null; number++) {
                long offset = (number - 1) * partSize;
                long length = Math.min(partSize, size - offset);
                Part there = done.get(number);
                if (there != null && there.size() != null && there.size() == length) {
                    completed.add(CompletedPart.builder().partNumber(number).eTag(there.eTag()).build());
                    control.progress(length);
                    continue;
                }
                control.checkOwned();
                window.acquire();
                int partNumber = number;
                inFlight.add(partThreads.submit(() -> {
                    try {
                        CompletedPart part = copyPart(key, upload, partNumber, offset, length);
                        control.progress(length);
                        onPart.partCopied(partNumber, length);
                        return part;
                    } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                        throw e;
                    } finally {
                        window.release();
                    }
                }));
            }
            for (Future<CompletedPart> f : inFlight) {
                completed.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("copy of " + key + " to region " + region.name() + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new ReplicationException("copy of " + key + " to region " + region.name() + " failed: " + cause, cause);
        } finally {
            // a failed or abandoned copy leaves the upload for the next attempt, but stops its own parts now
            inFlight.forEach(f -> f.cancel(true));
        }
        Throwable first = failure.get();
        if (first != null) {
            throw first instanceof RuntimeException r ? r : new ReplicationException("copy of " + key + " failed: " + first, first);
        }
        control.checkOwned();
        completed.sort(Comparator.comparing(CompletedPart::partNumber));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(completed)));
        abortOtherUploads(key, upload);
    }

    private CompletedPart copyPart(String key, String uploadId, int partNumber, long offset, long length) {
        S3Client s3 = region.client();
        String bucket = region.config().bucket();
        String etag;
        if (serverSide) {
            etag = s3.uploadPartCopy(b -> b.sourceBucket(master.config().bucket()).sourceKey(key).destinationBucket(bucket)
                    .destinationKey(key).uploadId(uploadId).partNumber(partNumber)
                    .copySourceRange("bytes=" + offset + "-" + (offset + length - 1))).copyPartResult().eTag();
        } else {
            try (SourceStreams streams = new SourceStreams(key, offset, length)) {
                etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(length),
                        RequestBody.fromContentProvider(streams, length, "application/octet-stream")).eTag();
            }
        }
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    }

    /** The parts the region holds for {@code uploadId}, or null when the upload is gone (completed or aborted). */
    private Map<Integer, Part> partsOf(String key, String uploadId) {
        try {
            Map<Integer, Part> parts = new HashMap<>();
            region.client().listPartsPaginator(b -> b.bucket(region.config().bucket()).key(key).uploadId(uploadId))
                    .parts().forEach(p -> parts.put(p.partNumber(), p));
            return parts;
        } catch (NoSuchUploadException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** Aborts uploads of {@code key} other than {@code keep}: left by replicators that died before recording them. */
    void abortOtherUploads(String key, String keep) {
        try {
            for (MultipartUpload u : region.client().listMultipartUploadsPaginator(b -> b.bucket(region.config().bucket()).prefix(key)).uploads()) {
                if (u.key().equals(key) && !u.uploadId().equals(keep)) {
                    region.client().abortMultipartUpload(b -> b.bucket(region.config().bucket()).key(key).uploadId(u.uploadId()));
                }
            }
        } catch (SdkException ignored) {
            // only tidying: a lifecycle rule on the bucket removes abandoned uploads too
        }
    }

    /** Called after each part. */
    @FunctionalInterface
    interface PartListener {
        /** Part {@code partNumber} of {@code bytes} bytes reached the region. */
        void partCopied(int partNumber, long bytes);
    }

    /**
     * Opens a range of the master object for each try of the SDK, closing the previous stream, and the last one on
     * close, so that retried requests do not leak connections of the master's pool.
     */
    private final class SourceStreams implements ContentStreamProvider, AutoCloseable {
        private final String key;
        private final long offset;
        private final long length;
        private InputStream current;

        SourceStreams(String key, long offset, long length) {
            this.key = key;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public synchronized InputStream newStream() {
            closeCurrent();
            current = master.client().getObject(b -> b.bucket(master.config().bucket()).key(key)
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
            return current;
        }

        private void closeCurrent() {
            if (current != null) {
                try {
                    current.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    current = null;
                }
            }
        }

        @Override
        public synchronized void close() {
            try {
                closeCurrent();
            } catch (UncheckedIOException ignored) {
                // the bytes were sent or the copy failed anyway
            }
        }
    }
}
