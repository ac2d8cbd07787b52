package dev.codedeploy.replication.copy;

import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.blob.UploadedPart;
import dev.codedeploy.replication.ReplicationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * S3 copies the bytes within one endpoint ({@code CopyObject}, or {@code UploadPartCopy} per part); nothing passes
 * through this process, so the region's copy is read back afterwards to be verified.
 */
final class ServerSideCopy {

    private final S3BlobStore master;
    private final S3BlobStore region;
    private final ObjectCopier uploads;
    private final ExecutorService partThreads;

    ServerSideCopy(S3BlobStore master, S3BlobStore region, ObjectCopier uploads, ExecutorService partThreads) {
        this.master = master;
        this.region = region;
        this.uploads = uploads;
        this.partThreads = partThreads;
    }

    void whole(String key, Map<String, String> metadata) {
        region.copyFrom(master, key, metadata);
    }

    void inParts(String key, long size, Map<String, String> metadata, String resumeUploadId, CopyControl control,
                 ObjectCopier.PartListener onPart) {
        long partSize = uploads.partSize(size);
        int parts = (int) ((size + partSize - 1) / partSize);
        Map<Integer, UploadedPart> done = uploads.partsOf(key, resumeUploadId);
        String uploadId = done == null ? uploads.startUpload(key, metadata, control) : resumeUploadId;
        Map<Integer, UploadedPart> there = done == null ? Map.of() : done;
        List<UploadedPart> completed = new ArrayList<>(parts);
        List<Future<UploadedPart>> inFlight = new ArrayList<>();
        Semaphore window = new Semaphore(region.config().uploadThreads());
        try {
            for (int number = 1; number <= parts; number++) {
                long offset = (number - 1) * partSize;
                long length = Math.min(partSize, size - offset);
                UploadedPart p = there.get(number);
                if (p != null && p.size() == length) {
                    completed.add(p);
                    control.progress(length);
                    continue;
                }
                control.checkOwned();
                window.acquire();
                int partNumber = number;
                inFlight.add(partThreads.submit(() -> {
                    try {
                        String etag = region.copyPart(master, key, uploadId, partNumber, offset, length);
                        control.progress(length);
                        onPart.partCopied(partNumber, length);
                        return new UploadedPart(partNumber, etag, length);
                    } finally {
                        window.release();
                    }
                }));
                failFast(inFlight);
            }
            for (Future<UploadedPart> f : inFlight) {
                completed.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("copy of " + key + " to region " + region.name() + " was interrupted", e);
        } catch (ExecutionException e) {
            throw ObjectCopier.unwrap(key, region.name(), e);
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
        completed.sort(Comparator.comparing(UploadedPart::partNumber));
        uploads.complete(key, uploadId, completed, control);
    }

    /** Stops submitting once a part failed. */
    private static void failFast(List<Future<UploadedPart>> inFlight) throws InterruptedException, ExecutionException {
        for (Future<UploadedPart> f : inFlight) {
            if (f.isDone()) {
                f.get();
            }
        }
    }
}
