package dev.codedeploy.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The sha256 of a file and the ETag an S3 store will report for it, computed in one read: MD5 of the bytes for a
 * single upload, MD5 of the parts' MD5s with {@code -N} for a multipart one. Comparing the ETag the store reports
 * with this one proves that the store received exactly these bytes, without downloading them again.
 *
 * @param size   bytes
 * @param sha256 hex sha256
 * @param etag   the expected ETag
 */
public record FileDigest(long size, String sha256, String etag) {

    private static final int BUFFER = 1 << 20;

    /** Digests {@code file} as {@code config}'s store will split it. */
    public static FileDigest of(Path file, BlobStoreConfig config) {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in, Files.size(file), config.multipartThreshold(), config.partSize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Digests {@code size} bytes of {@code in}. */
    public static FileDigest of(InputStream in, long size, long multipartThreshold, long partSize) throws IOException {
        MessageDigest sha256 = newDigest("SHA-256");
        MessageDigest wholeMd5 = newDigest("MD5");
        MessageDigest partMd5 = newDigest("MD5");
        MessageDigest md5OfMd5s = newDigest("MD5");
        boolean multipart = size > multipartThreshold;
        long inPart = 0;
        int parts = 0;
        long total = 0;
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha256.update(buffer, 0, n);
            total += n;
            if (!multipart) {
                wholeMd5.update(buffer, 0, n);
                continue;
            }
            int offset = 0;
            while (offset < n) {
                int take = (int) Math.min(n - offset, partSize - inPart);
                partMd5.update(buffer, offset, take);
                inPart += take;
                offset += take;
                if (inPart == partSize) {
                    md5OfMd5s.update(partMd5.digest());
                    parts++;
                    inPart = 0;
                }
            }
        }
        if (total != size) {
            throw new IOException("expected " + size + " bytes, read " + total + " (the file changed while it was read)");
        }
        HexFormat hex = HexFormat.of();
        String etag;
        if (multipart) {
            if (inPart > 0) {
                md5OfMd5s.update(partMd5.digest());
                parts++;
            }
            etag = hex.formatHex(md5OfMd5s.digest()) + "-" + parts;
        } else {
            etag = hex.formatHex(wholeMd5.digest());
        }
        return new FileDigest(total, hex.formatHex(sha256.digest()), etag);
    }

    /** The sha256 of a whole stream, hex. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest sha256 = newDigest("SHA-256");
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha256.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The sha256 of {@code bytes}, hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest("SHA-256").digest(bytes));
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
