package dev.codedeploy.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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

    /**
     * Uploads {@code size} bytes in one request from the stream {@code source} opens (opened again, from the start,
     * when the request is retried; each stream is closed by the store).
     *
     * @return the ETag the store computed of what it received, as it returned it (for S3 without multipart, the MD5)
     */
    String putStream(String key, long size, Supplier<InputStream> source, Map<String, String> metadata);

    /**
     * True when {@link #copyFrom} and {@link #copyPart} from {@code source} run inside the store, the bytes never
     * passing through this process: both stores share an endpoint, credentials and region.
     */
    boolean copiesServerSideFrom(BlobStore source);

    /**
     * Copies {@code key} of {@code source} to the same key here, with {@code metadata} in place of the source's:
     * server-side when {@link #copiesServerSideFrom(BlobStore) possible}, streamed through this process in one request
     * otherwise.
     *
     * @throws BlobNotFoundException when {@code source} has no such object
     */
    void copyFrom(BlobStore source, String key, Map<String, String> metadata);

    // Multipart uploads: an object assembled from parts sent separately (several at once, or resumed by another
    // process); it appears only when the upload completes.

    /** Starts a multipart upload of {@code key}; returns its id. */
    String startMultipart(String key, Map<String, String> metadata);

    /**
     * The parts the store holds for an upload, by part number; empty when the upload does not exist (never started,
     * or completed or aborted since).
     */
    Optional<Map<Integer, UploadedPart>> uploadedParts(String key, String uploadId);

    /** Sends part {@code partNumber}: the first {@code length} bytes of {@code bytes}; returns the part's ETag. */
    String putPart(String key, String uploadId, int partNumber, byte[] bytes, int length);

    /**
     * Copies bytes {@code offset} to {@code offset + length - 1} of {@code key} in {@code source} as part
     * {@code partNumber}, server-side; returns the part's ETag.
     *
     * @throws IllegalArgumentException when {@link #copiesServerSideFrom(BlobStore)} is false for {@code source}
     */
    String copyPart(BlobStore source, String key, String uploadId, int partNumber, long offset, long length);

    /** Assembles the object from {@code parts}, in part order. */
    void completeMultipart(String key, String uploadId, List<UploadedPart> parts);

    /** Aborts an upload, dropping its parts; an upload already gone is not an error. */
    void abortMultipart(String key, String uploadId);

    /** The ids of the multipart uploads of exactly {@code key} that are neither completed nor aborted. */
    List<String> multipartUploads(String key);

    /** Downloads the object to {@code target}, replacing it. */
    void download(String key, Path target);

    /** Deletes the object; deleting a missing object is not an error. */
    void delete(String key);

    /** Every object under {@code prefix}, in key order. */
    List<BlobInfo> list(String prefix);

    /**
     * Checks that the store answers and its bucket exists.
     *
     * @throws BlobStoreRefusedException naming the store, endpoint and bucket when the store answers that the bucket
     *                                   is missing or refuses access
     * @throws BlobStoreException        naming the store and endpoint when it cannot be reached
     */
    void checkReachable();

    /** Releases the client's connections. */
    @Override
    void close();
}
