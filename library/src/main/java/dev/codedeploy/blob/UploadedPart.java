package dev.codedeploy.blob;

/**
 * A part of a multipart upload that the store holds.
 *
 * @param partNumber from 1
 * @param etag       the store's ETag of the part, as it returned it (for S3 the part's MD5, in quotes)
 * @param size       its length in bytes
 */
public record UploadedPart(int partNumber, String etag, long size) {
}
