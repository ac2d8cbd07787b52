package dev.codedeploy.replication.copy;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.BlobStoreException;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.blob.UploadedPart;
import dev.codedeploy.replication.ReplicationException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams a large object from the master to one or more regions in parts, reading the master once, front to back:
 * each part is read into memory, added to the sha256 of the whole, hashed with MD5, and sent to every region that
 * lacks it, several parts at once per region. The MD5 a region computed of a part it received (its ETag) must equal
 * the MD5 of the part sent, and the sha256 of all bytes read must be the build's: together they prove, without
 * reading anything back, that each region holds the build's bytes.
 *
 * <p>Regions fail alone: a region whose part fails or whose lease is lost drops out and the others go on; its upload
 * stays for the next attempt. Resuming, the parts a region already holds are not sent again (their ETags are checked
 * against the bytes read). At most the largest {@code uploadThreads} of the regions plus one part buffers exist; the
 * slowest region sets the pace of the others.
 */
public final class FanOutCopy {

    /** Larger parts are not held in memory. */
    static final long MAX_BUFFERED_PART = 1L << 30;

    private final S3BlobStore master;
    private final ExecutorService partThreads;

    public FanOutCopy(S3BlobStore master, ExecutorService partThreads) {
        this.master = master;
        this.partThreads = partThreads;
    }

    /** One region's side of the copy, and how it ended. */
    public static final class Target {
        final S3BlobStore region;
        final ObjectCopier uploads;
        final String resumeUploadId;
        final CopyControl control;
        final ObjectCopier.PartListener onPart;
        final List<UploadedPart> completed = Collections.synchronizedList(new ArrayList<>());
        final List<Future<?>> inFlight = new ArrayList<>();
        volatile Throwable failure;
        volatile boolean etagsAreMd5 = true;
        boolean proven;
        String uploadId;
        Map<Integer, UploadedPart> there = Map.of();
        Semaphore window;

        public Target(S3BlobStore region, ObjectCopier uploads, String resumeUploadId, CopyControl control, ObjectCopier.PartListener onPart) {
            this.region = region;
            this.uploads = uploads;
            this.resumeUploadId = resumeUploadId;
            this.control = control;
            this.onPart = onPart;
        }

        boolean live() {
            return failure == null;
        }

        void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }

        /** How the copy ended for this region: null when it succeeded. */
        public Throwable failure() {
            return failure;
        }

        /** True when the region's bytes were proven on the way. */
        public boolean proven() {
            return proven;
        }
    }

    /**
     * Copies {@code key} to every target; each target's {@link Target#failure()} and {@link Target#proven()} say how
     * it ended. Throws only when the copy as a whole cannot go on (this thread was interrupted).
     */
    public void copy(String key, long size, String sha256, long partSize, Map<String, String> metadata, List<Target> targets) {
        if (partSize > MAX_BUFFERED_PART) {
            targets.forEach(t -> t.fail(new ReplicationException("parts of " + partSize + " bytes are too large to stream through memory to region "
                    + t.region.name() + "; set its blobStore.partSize to at most 1 GiB")));
            return;
        }
        int parts = (int) ((size + partSize - 1) / partSize);
        int buffersNeeded = 1;
        for (Target t : targets) {
            try {
                Map<Integer, UploadedPart> done = t.uploads.partsOf(key, t.resumeUploadId);
                t.uploadId = done == null ? t.uploads.startUpload(key, metadata, t.control) : t.resumeUploadId;
                t.there = done == null ? Map.of() : done;
                t.window = new Semaphore(t.region.config().uploadThreads());
                buffersNeeded = Math.max(buffersNeeded, t.region.config().uploadThreads() + 1);
            } catch (RuntimeException e) {
                t.fail(wrap(key, t, e));
            }
        }
        BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(buffersNeeded);
        int allocated = 0;
        MessageDigest sha = Digests.sha256();
        List<String> partMd5s = new ArrayList<>(parts);
        try (InputStream in = master.open(key)) {
            for (int number = 1; number <= parts && targets.stream().anyMatch(Target::live); number++) {
                int length = (int) Math.min(partSize, size - (number - 1) * partSize);
                byte[] buffer = buffers.poll();
                if (buffer == null && allocated < buffersNeeded) {
                    buffer = new byte[(int) partSize];
                    allocated++;
                } else if (buffer == null) {
                    buffer = buffers.take();
                }
                readFully(in, buffer, length, key);
                sha.update(buffer, 0, length);
                MessageDigest md5 = Digests.md5();
                md5.update(buffer, 0, length);
                String sent = Digests.hex(md5.digest());
                partMd5s.add(sent);
                send(key, number, buffer, length, sent, targets, buffers);
            }
            if (targets.stream().anyMatch(Target::live) && in.read() >= 0) {
                throw new SourceMissingException("source object " + key + " in the master blob store is longer than the " + size
                        + " bytes its job recorded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            targets.forEach(t -> t.fail(new ReplicationException("copy of " + key + " to region " + t.region.name() + " was interrupted", e)));
        } catch (IOException | RuntimeException e) {
            // reading the master failed: every region's copy failed with it
            RuntimeException cause = e instanceof RuntimeException r ? r
                    : new ReplicationException("reading " + key + " from the master blob store failed: " + e.getMessage(), e);
            targets.forEach(t -> t.fail(cause));
        }
        for (Target t : targets) {
            awaitTasks(t);
        }
        String read = Digests.hex(sha.digest());
        boolean allRead = partMd5s.size() == parts;
        List<Target> completing = new ArrayList<>();
        for (Target t : targets) {
            if (!t.live()) {
                t.inFlight.forEach(f -> f.cancel(true));
                continue;
            }
            if (allRead && !read.equalsIgnoreCase(sha256)) {
                t.fail(new SourceMissingException("source object " + key + " read from the master blob store has sha256 " + read
                        + " but its job recorded " + sha256 + ": the master's copy is corrupt"));
                continue;
            }
            // every region completes at once: a far region's round trips, or a store that assembles the object, do not
            // add up across regions
            t.inFlight.add(partThreads.submit(() -> complete(key, size, partMd5s, t)));
            completing.add(t);
        }
        completing.forEach(FanOutCopy::awaitTasks);
    }

    /** Completes one region's upload and, where the ETags are MD5s, proves its bytes by the assembled object's ETag. */
    private static void complete(String key, long size, List<String> partMd5s, Target t) {
        try {
            List<UploadedPart> ordered = new ArrayList<>(t.completed);
            ordered.sort(Comparator.comparing(UploadedPart::partNumber));
            t.uploads.complete(key, t.uploadId, ordered, t.control);
            if (t.etagsAreMd5) {
                BlobInfo assembled = t.region.head(key).orElse(null);
                t.proven = assembled != null && assembled.size() == size
                        && Digests.etag(assembled.etag()).equals(Digests.multipartEtag(partMd5s));
            }
        } catch (RuntimeException e) {
            t.fail(wrap(key, t, e));
        }
    }

    /** Sends part {@code number} to every live target that lacks it; the buffer goes back to the pool after the last. */
    private void send(String key, int number, byte[] buffer, int length, String sent, List<Target> targets,
                      BlockingQueue<byte[]> buffers) throws InterruptedException {
        AtomicInteger users = new AtomicInteger(1);
        Runnable release = () -> {
            if (users.decrementAndGet() == 0) {
                buffers.offer(buffer);
            }
        };
        for (Target t : targets) {
            if (!t.live()) {
                continue;
            }
            UploadedPart p = t.there.get(number);
            if (p != null && p.size() == length && Digests.etag(p.etag()).equals(sent)) {
                t.completed.add(p);
                t.control.progress(length);
                continue;
            }
            try {
                t.control.checkOwned();
            } catch (ReplicationException e) {
                t.fail(e);
                continue;
            }
            t.window.acquire();
            users.incrementAndGet();
            t.inFlight.add(partThreads.submit(() -> {
                try {
                    String etag = t.region.putPart(key, t.uploadId, number, buffer, length);
                    if (!Digests.isMd5(etag)) {
                        t.etagsAreMd5 = false;
                    } else if (!Digests.etag(etag).equals(sent)) {
                        throw new ChecksumMismatchException("region " + t.region.name() + " received other bytes for part " + number
                                + " of " + key + ": its MD5 is " + Digests.etag(etag) + ", the bytes sent have " + sent);
                    }
                    t.completed.add(new UploadedPart(number, etag, length));
                    t.control.progress(length);
                    t.onPart.partCopied(number, length);
                } catch (Throwable e) {
                    t.fail(e instanceof RuntimeException r ? wrap(key, t, r) : e);
                } finally {
                    release.run();
                    t.window.release();
                }
            }));
        }
        release.run();
    }

    /** Waits for what was submitted for {@code t} (its parts, then its completion); a task that failed fails it. */
    private static void awaitTasks(Target t) {
        for (Future<?> f : t.inFlight) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                t.fail(new ReplicationException("copy to region " + t.region.name() + " was interrupted", e));
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                t.fail(e);
            }
        }
    }

    private static RuntimeException wrap(String key, Target t, RuntimeException e) {
        if (e instanceof BlobStoreException && !(e instanceof BlobNotFoundException)) {
            return new ReplicationException("copy of " + key + " to region " + t.region.name() + " failed: " + e.getMessage(), e);
        }
        return e;
    }

    private static void readFully(InputStream in, byte[] buffer, int length, String key) throws IOException {
        int off = 0;
        while (off < length) {
            int n = in.read(buffer, off, length - off);
            if (n < 0) {
                throw new SourceMissingException("source object " + key + " in the master blob store ended after fewer bytes than its job recorded");
            }
            off += n;
        }
    }
}
