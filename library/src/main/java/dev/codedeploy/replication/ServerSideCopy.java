package dev.codedeploy.replication;

import dev.codedeploy.blob.S3BlobStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.Part;

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
        region.client().copyObject(b -> b.sourceBucket(master.config().bucket()).sourceKey(key)
                .destinationBucket(region.config().bucket()).destinationKey(key)
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata));
    }

    void inParts(String key, long size, Map<String, String> metadata, String resumeUploadId, CopyControl control,
                 ObjectCopier.PartListener onPart) {
        long partSize = uploads.partSize(size);
        int parts = (int) ((size + partSize - 1) / partSize);
        Map<Integer, Part> done = uploads.partsOf(key, resumeUploadId);
        String uploadId = done == null ? uploads.startUpload(key, metadata, control) : resumeUploadId;
        Map<Integer, Part> there = done == null ? Map.of() : done;
        List<CompletedPart> completed = new ArrayList<>(parts);
        List<Future<CompletedPart>> inFlight = new ArrayList<>();
        Semaphore window = new Semaphore(region.config().uploadThreads());
        try {
            for (int number = 1; number <= parts; number++) {
                long offset = (number - 1) * partSize;
                long length = Math.min(partSize, size - offset);
                Part p = there.get(number);
                if (p != null && p.size() != null && p.size() == length) {
                    completed.add(CompletedPart.builder().partNumber(number).eTag(p.eTag()).build());
                    control.progress(length);
                    continue;
                }
                control.checkOwned();
                window.acquire();
                int partNumber = number;
                inFlight.add(partThreads.submit(() -> {
                    try {
                        String etag = region.client().uploadPartCopy(b -> b.sourceBucket(master.config().bucket()).sourceKey(key)
                                .destinationBucket(region.config().bucket()).destinationKey(key).uploadId(uploadId).partNumber(partNumber)
                                .copySourceRange("bytes=" + offset + "-" + (offset + length - 1))).copyPartResult().eTag();
                        control.progress(length);
                        onPart.partCopied(partNumber, length);
                        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
                    } finally {
                        window.release();
                    }
                }));
                failFast(inFlight);
            }
            for (Future<CompletedPart> f : inFlight) {
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
        completed.sort(Comparator.comparing(CompletedPart::partNumber));
        uploads.complete(key, uploadId, completed, control);
    }

    /** Stops submitting once a part failed. */
    private static void failFast(List<Future<CompletedPart>> inFlight) throws InterruptedException, ExecutionException {
        for (Future<CompletedPart> f : inFlight) {
            if (f.isDone()) {
                f.get();
            }
        }
    }
}
