package dev.codedeploy.blob;

import java.time.Instant;
import java.util.Map;

/**
 * What a blob store says about a stored object.
 *
 * @param key          the object key
 * @param size         bytes
 * @param etag         the store's ETag without quotes: the MD5 of the bytes for a single upload, or
 *                     {@code md5(part md5s)-parts} for a multipart one, computed by the store from what it received
 * @param metadata     user metadata (lowercase keys)
 * @param lastModified when it was written, by the store's clock
 */
public record BlobInfo(String key, long size, String etag, Map<String, String> metadata, Instant lastModified) {

    /** Metadata key under which codedeploy stores the sha256 of an object. */
    public static final String SHA256 = "sha256";

    /** The sha256 recorded in the metadata, or null. */
    public String sha256() {
        return metadata == null ? null : metadata.get(SHA256);
    }
}
