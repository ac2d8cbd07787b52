package dev.codedeploy.replication.copy;

import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads an object back from a store and hashes it: the only proof that the bytes at rest are the build's. */
public final class ReadBack {

    private static final int BUFFER = 1 << 20;
    /** How often a long read asks whether it should stop. */
    private static final long CHECK_EVERY = 64L << 20;

    private ReadBack() {
    }

    /**
     * The size and sha256 of {@code key} in {@code store}, read in full.
     *
     * @param control asked now and then whether to stop, or null
     * @throws BlobNotFoundException when it is missing
     */
    public static Digest of(BlobStore store, String key, CopyControl control) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        long total = 0;
        long nextCheck = CHECK_EVERY;
        try (InputStream in = store.open(key)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha256.update(buffer, 0, n);
                total += n;
                if (control != null && total >= nextCheck) {
                    control.checkOwned();
                    nextCheck += CHECK_EVERY;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back " + key + " from blob store '" + store.name() + "'", e);
        }
        return new Digest(total, HexFormat.of().formatHex(sha256.digest()));
    }

    /** The sha256 of bytes in memory. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * What was read.
     *
     * @param size   bytes
     * @param sha256 hex sha256
     */
    public record Digest(long size, String sha256) {

        /** True when this is {@code size} bytes with {@code sha256}. */
        public boolean matches(long expectedSize, String expectedSha256) {
            return size == expectedSize && sha256.equalsIgnoreCase(expectedSha256);
        }
    }
}
