package dev.codedeploy.blob;

import java.net.URI;

/**
 * Where one S3 bucket is and how to reach it.
 *
 * @param endpoint           S3 endpoint, or null for AWS's default endpoint of {@code region}
 * @param region             signing region, for example {@code us-east-1}
 * @param bucket             bucket name
 * @param accessKey          access key id, or null for the default AWS credential chain
 * @param secretKey          secret key
 * @param pathStyle          path-style addressing (needed by S3Proxy and most S3 clones)
 * @param multipartThreshold files larger than this are uploaded in parts
 * @param partSize           size of each part (S3 allows 10,000 parts: 16 MiB parts reach 156 GiB)
 * @param uploadThreads      parts uploaded at once
 */
public record BlobStoreConfig(URI endpoint, String region, String bucket, String accessKey, String secretKey,
                              boolean pathStyle, long multipartThreshold, long partSize, int uploadThreads) {

    /** 64 MiB. */
    public static final long DEFAULT_MULTIPART_THRESHOLD = 64L << 20;
    /** 16 MiB. */
    public static final long DEFAULT_PART_SIZE = 16L << 20;
    /** Four parts in flight. */
    public static final int DEFAULT_UPLOAD_THREADS = 4;
    private static final long MIN_PART_SIZE = 5L << 20;

    public BlobStoreConfig {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("bucket '" + bucket + "' is not a valid S3 bucket name: 3 to 63 characters of a-z, 0-9, '.' and '-'");
        }
        region = region == null || region.isBlank() ? "us-east-1" : region;
        if (multipartThreshold <= 0) {
            multipartThreshold = DEFAULT_MULTIPART_THRESHOLD;
        }
        if (partSize <= 0) {
            partSize = DEFAULT_PART_SIZE;
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize " + partSize + " is below S3's minimum of 5 MiB");
        }
        if (uploadThreads <= 0) {
            uploadThreads = DEFAULT_UPLOAD_THREADS;
        }
    }

    /** A bucket at {@code endpoint} with static keys, path-style, and default part settings. */
    public static BlobStoreConfig of(URI endpoint, String bucket, String accessKey, String secretKey) {
        return new BlobStoreConfig(endpoint, "us-east-1", bucket, accessKey, secretKey, true, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "BlobStoreConfig[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + "]";
    }
}
