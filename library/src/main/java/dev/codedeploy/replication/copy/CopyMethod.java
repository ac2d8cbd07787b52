package dev.codedeploy.replication.copy;

/** How the bytes of an object reached a region. */
public enum CopyMethod {
    /** S3 copied them within the endpoint ({@code CopyObject} or {@code UploadPartCopy}). */
    SERVER_SIDE,
    /** They were streamed from the master through this process. */
    STREAMED
}
