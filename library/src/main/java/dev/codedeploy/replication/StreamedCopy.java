package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.S3BlobStore;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Streams an object from the master to a region through this process and proves on the way that the region received
 * the build: the master is read once, front to back, and every byte goes into a sha256; each part is sent from
 * memory and the MD5 the region computed of what it received (its ETag) must equal the MD5 of what was sent. Parts
 * go out several at once; at most {@code uploadThreads + 1} part buffers exist per copy.
 *
 * <p>Resuming an upload, the parts the region already holds are not sent again; their bytes are still read from the
 * master, for the sha256, and their ETags checked against them.
 */
final class StreamedCopy {

    /** Larger parts are not held in memory. */
    private static final long MAX_BUFFERED_PART = 1L << 30;
    private static final String OCTETS = "application/octet-stream";

    private final S3BlobStore master;
    private final S3BlobStore region;
    private final ObjectCopier uploads;
    private final ExecutorService partThreads;

    StreamedCopy(S3BlobStore master, S3BlobStore region, ObjectCopier uploads, ExecutorService partThreads) {
        this.master = master;
        this.region = region;
        this.uploads = uploads;
        this.partThreads = partThreads;
    }

    /** One PUT; returns whether the region's ETag proved the bytes. */
    boolean whole(String key, long size, String sha256, Map<String, String> metadata, CopyControl control) {
        String bucket = region.config().bucket();
        DigestingSource source = new DigestingSource(key, size);
        String etag;
        try {
            etag = region.client().putObject(b -> b.bucket(bucket).key(key).metadata(metadata).contentLength(size),
                    size == 0 ? RequestBody.empty() : RequestBody.fromContentProvider(source, size, OCTETS)).eTag();
        } finally {
            source.close();
        }
        control.progress(size);
        String read = size == 0 ? Digests.hex(Digests.sha256().digest()) : source.sha256();
        try {
            checkSource(key, sha256, read);
        } catch (SourceMissingException e) {
            region.delete(key); // the region must not keep bytes that are not the build's
            throw e;
        }
        if (!Digests.isMd5(etag)) {
            return false;
        }
        String sent = size == 0 ? Digests.hex(Digests.md5().digest()) : source.md5();
        if (!Digests.etag(etag).equals(sent)) {
            throw new ChecksumMismatchException("region " + region.name() + " received other bytes for " + key + ": its MD5 is "
                    + Digests.etag(etag) + ", the bytes sent have " + sent);
        }
        return true;
    }

    /** In parts from memory; returns whether the region's ETags proved every part and the whole. */
    boolean inParts(String key, long size, String sha256, Map<String, String> metadata, String resumeUploadId, CopyControl control,
                    ObjectCopier.PartListener onPart) {
        long partSize = uploads.partSize(size);
        if (partSize > MAX_BUFFERED_PART) {
            throw new ReplicationException("parts of " + partSize + " bytes are too large to stream through memory to region "
                    + region.name() + "; set its blobStore.partSize to at most 1 GiB");
        }
        int parts = (int) ((size + partSize - 1) / partSize);
        Map<Integer, Part> done = uploads.partsOf(key, resumeUploadId);
        String uploadId = done == null ? uploads.startUpload(key, metadata, control) : resumeUploadId;
        Map<Integer, Part> there = done == null ? Map.of() : done;
        int window = region.config().uploadThreads();
        BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(window + 1);
        int allocated = 0;
        Semaphore slots = new Semaphore(window);
        MessageDigest sha = Digests.sha256();
        List<String> partMd5s = new ArrayList<>(parts);
        AtomicBoolean etagsAreMd5 = new AtomicBoolean(true);
        List<CompletedPart> completed = new ArrayList<>(parts);
        List<Future<CompletedPart>> inFlight = new ArrayList<>();
        try (InputStream in = master.open(key)) {
            for (int number = 1; number <= parts; number++) {
                int length = (int) Math.min(partSize, size - (number - 1) * partSize);
                byte[] buffer = buffers.poll();
                if (buffer == null && allocated <= window) {
                    buffer = new byte[(int) partSize];
                    allocated++;
                } else if (buffer == null) {
                    buffer = buffers.take();
                }
                readFully(in, buffer, length, key, control);
                sha.update(buffer, 0, length);
                MessageDigest md5 = Digests.md5();
                md5.update(buffer, 0, length);
                String sent = Digests.hex(md5.digest());
                partMd5s.add(sent);
                Part p = there.get(number);
                if (p != null && p.size() != null && p.size() == length && Digests.etag(p.eTag()).equals(sent)) {
                    completed.add(CompletedPart.builder().partNumber(number).eTag(p.eTag()).build());
                    control.progress(length);
                    buffers.offer(buffer);
                    continue;
                }
                control.checkOwned();
                slots.acquire();
                inFlight.add(partThreads.submit(uploadPart(key, uploadId, number, buffer, length, sent, etagsAreMd5, buffers, slots,
                        control, onPart)));
                failFast(inFlight);
            }
            if (in.read() >= 0) {
                throw new SourceMissingException("source object " + key + " in the master blob store is longer than the " + size
                        + " bytes its job recorded");
            }
            for (Future<CompletedPart> f : inFlight) {
                completed.add(f.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " from the master blob store failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("copy of " + key + " to region " + region.name() + " was interrupted", e);
        } catch (ExecutionException e) {
            throw unwrap(key, region.name(), e);
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
        checkSource(key, sha256, Digests.hex(sha.digest()));
        completed.sort(Comparator.comparing(CompletedPart::partNumber));
        uploads.complete(key, uploadId, completed, control);
        if (!etagsAreMd5.get()) {
            return false;
        }
        BlobInfo assembled = region.head(key).orElse(null);
        return assembled != null && assembled.size() == size && Digests.etag(assembled.etag()).equals(Digests.multipartEtag(partMd5s));
    }

    private java.util.concurrent.Callable<CompletedPart> uploadPart(String key, String uploadId, int number, byte[] buffer, int length,
                                                                  String sent, AtomicBoolean etagsAreMd5, BlockingQueue<byte[]> buffers,
                                                                  Semaphore slots, CopyControl control, ObjectCopier.PartListener onPart) {
        return () -> {
            try {
                String etag = region.client().uploadPart(b -> b.bucket(region.config().bucket()).key(key).uploadId(uploadId)
                                .partNumber(number).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, OCTETS)).eTag();
                if (!Digests.isMd5(etag)) {
                    etagsAreMd5.set(false);
                } else if (!Digests.etag(etag).equals(sent)) {
                    throw new ChecksumMismatchException("region " + region.name() + " received other bytes for part " + number + " of "
                            + key + ": its MD5 is " + Digests.etag(etag) + ", the bytes sent have " + sent);
                }
                control.progress(length);
                onPart.partCopied(number, length);
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            } finally {
                buffers.offer(buffer);
                slots.release();
            }
        };
    }

    private static void readFully(InputStream in, byte[] buffer, int length, String key, CopyControl control) throws IOException {
        int off = 0;
        while (off < length) {
            int n = in.read(buffer, off, length - off);
            if (n < 0) {
                throw new SourceMissingException("source object " + key + " in the master blob store ended after fewer bytes than its job recorded");
            }
            off += n;
        }
        control.checkOwned();
    }

    private void checkSource(String key, String expected, String read) {
        if (!read.equalsIgnoreCase(expected)) {
            throw new SourceMissingException("source object " + key + " read from the master blob store has sha256 " + read
                    + " but its job recorded " + expected + ": the master's copy is corrupt");
        }
    }

    private static void failFast(List<Future<CompletedPart>> inFlight) throws InterruptedException, ExecutionException {
        for (Future<CompletedPart> f : inFlight) {
            if (f.isDone()) {
                f.get();
            }
        }
    }

    /** The cause of a failed part, as the exception to throw. */
    static RuntimeException unwrap(String key, String region, ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new ReplicationException("copy of " + key + " to region " + region + " failed: " + cause, cause);
    }

    /**
     * The master object for each try of the SDK, hashed as it is read; a retry starts the hashes again. The last
     * stream is closed with {@link #close()}.
     */
    private final class DigestingSource implements ContentStreamProvider {
        private final String key;
        private final long size;
        private InputStream current;
        private MessageDigest sha256;
        private MessageDigest md5;

        DigestingSource(String key, long size) {
            this.key = key;
            this.size = size;
        }

        @Override
        public synchronized InputStream newStream() {
            close();
            sha256 = Digests.sha256();
            md5 = Digests.md5();
            MessageDigest s = sha256;
            MessageDigest m = md5;
            current = new FilterInputStream(master.open(key)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        s.update((byte) b);
                        m.update((byte) b);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        s.update(b, off, n);
                        m.update(b, off, n);
                    }
                    return n;
                }
            };
            return current;
        }

        synchronized String sha256() {
            return sha256 == null ? "" : Digests.hex(sha256.digest());
        }

        synchronized String md5() {
            return md5 == null ? "" : Digests.hex(md5.digest());
        }

        synchronized void close() {
            if (current != null) {
                try {
                    current.close();
                } catch (IOException ignored) {
                    // the bytes were sent, or the copy failed anyway
                } finally {
                    current = null;
                }
            }
        }

        @Override
        public String toString() {
            return "master object " + key + " (" + size + " bytes)";
        }
    }
}
