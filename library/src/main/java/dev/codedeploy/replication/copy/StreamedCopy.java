package dev.codedeploy.replication.copy;

import dev.codedeploy.blob.S3BlobStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Streams an object below the multipart threshold from the master to a region in one PUT and proves on the way that
 * the region received the build: every byte sent goes into a sha256 and an MD5, and the MD5 the region computed of
 * what it received (its ETag) must equal ours. Larger objects go through {@link FanOutCopy}.
 */
final class StreamedCopy {

    private final S3BlobStore master;
    private final S3BlobStore region;

    StreamedCopy(S3BlobStore master, S3BlobStore region) {
        this.master = master;
        this.region = region;
    }

    /** One PUT; returns whether the region's ETag proved the bytes. */
    boolean whole(String key, long size, String sha256, Map<String, String> metadata, CopyControl control) {
        DigestingSource source = new DigestingSource(key, size);
        String etag;
        try {
            etag = region.putStream(key, size, source::newStream, metadata);
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

    private void checkSource(String key, String expected, String read) {
        if (!read.equalsIgnoreCase(expected)) {
            throw new SourceMissingException("source object " + key + " read from the master blob store has sha256 " + read
                    + " but its job recorded " + expected + ": the master's copy is corrupt");
        }
    }

    /**
     * The master object for each try of the SDK, hashed as it is read; a retry starts the hashes again. The last
     * stream is closed with {@link #close()}.
     */
    private final class DigestingSource {
        private final String key;
        private final long size;
        private InputStream current;
        private MessageDigest sha256;
        private MessageDigest md5;

        DigestingSource(String key, long size) {
            this.key = key;
            this.size = size;
        }

        synchronized InputStream newStream() {
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
