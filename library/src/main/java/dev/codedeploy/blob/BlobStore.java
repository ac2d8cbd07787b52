package dev.codedeploy.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An object store holding builds: the master store, or one region's. Implementations are thread-safe.
 *
 * <p>Error contract: a missing object is {@link BlobNotFoundException}; anything else that fails (store down,
 * access denied) is {@link BlobStoreException} naming the store and key.
 */
public interface BlobStore extends AutoCloseable {

    /** A name for messages: {@code master} or the region. */
    String name();

    /**
     * Uploads a file, in parts when it is large, and returns what the store then reports for it.
     *
     * @param metadata user metadata to store with it (for example {@link BlobInfo#SHA256})
     */
    BlobInfo put(String key, Path file, Map<String, String> metadata);

    /** Uploads a small object from memory. */
    BlobInfo putBytes(String key, byte[] bytes, String contentType, Map<String, String> metadata);

    /** What the store reports for {@code key}, or empty when it is missing. */
    Optional<BlobInfo> head(String key);

    /**
     * Opens the object for streaming; the caller closes the stream.
     *
     * @throws BlobNotFoundException when it is missing
     */
    InputStream open(String key);

    /** Reads a small object whole. Only for objects this system wrote and trusts the size of; see {@link #getBytes(String, long)}. */
    byte[] getBytes(String key);

    /**
     * Reads a small object whole, reading no more than {@code maxBytes + 1} bytes of it: an object that anyone able to
     * write the bucket could have replaced is read this way, bounded by what the reader expects.
     *
     * @throws BlobTooLargeException when the object holds more than {@code maxBytes}
     * @throws BlobNotFoundException when it is missing
     */
    default byte[] getBytes(String key, long maxBytes) {
        if (maxBytes < 0 || maxBytes >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes must be 0 to 2 GiB, got " + maxBytes);
        }
        InputStream in = open(key);
        try {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new BlobTooLargeException(key + " in blob store '" + name() + "' holds more than the " + maxBytes
                        + " bytes it may have; it was not read further");
            }
            return bytes;
        } catch (IOException e) {
            throw new BlobStoreException("cannot read " + key + " from blob store '" + name() + "': " + e.getMessage(), e);
        } finally {
            // closing an S3 stream early would read it to its end: abort it instead
            if (in instanceof software.amazon.awssdk.http.Abortable abortable) {
                abortable.abort();
            }
            try {
                in.close();
            } catch (IOException e) {
                // aborted, or already at its end
            }
        }
    }

    /** Downloads the object to {@code target}, replacing it. */
    void download(String key, Path target);

    /** Deletes the object; deleting a missing object is not an error. */
    void delete(String key);

    /** Every object under {@code prefix}, in key order. */
    List<BlobInfo> list(String prefix);

    /**
     * Checks that the store answers and its bucket exists.
     *
     * @throws BlobStoreException naming the store, endpoint and bucket when it does not
     */
    void checkReachable();

    /** Releases the client's connections. */
    @Override
    void close();
}
