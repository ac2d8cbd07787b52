package dev.codedeploy.release;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Spreads a region's hosts over {@value #COUNT} buckets, so that no ZooKeeper listing grows with the fleet: a host
 * lives in bucket {@code hosts/_xx} where {@code xx} is the first byte of the SHA-256 of its id, in hex.
 *
 * <p>256 buckets keep a region of 50,000 hosts at about 195 names a bucket (the most loaded of the 256 near 240);
 * with ids of 25 characters, like {@code ip-10-0-0-1.ec2.internal}, a listing is about 7 KB, and even ids of the
 * longest kind (253 characters) stay near 60 KB, below the 100 KB a listing is allowed and far below ZooKeeper's 1 MB
 * limit. The hash is not the one {@link Waves} uses, so a bucket holds hosts of every wave.
 *
 * <p>A bucket's name starts with {@code _}, which no host id may start with: an agent of the previous, flat layout
 * ({@code hosts/<host>}) never clashes with a bucket, so both layouts can share {@code hosts/} during an upgrade.
 */
public final class HostBuckets {

    /** The number of buckets. Changing it moves every host: it is part of the layout. */
    public static final int COUNT = 256;

    private static final Pattern NAME = Pattern.compile("_[0-9a-f]{2}");

    private HostBuckets() {
    }

    /** The bucket of {@code hostId}, 0 to {@value #COUNT} - 1: the same on every machine and in every version. */
    public static int of(String hostId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(hostId.getBytes(StandardCharsets.UTF_8));
            return digest[0] & 0xff;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** The node name of bucket {@code index}: {@code _00} to {@code _ff}. */
    public static String name(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("bucket " + index + " is not in 0.." + (COUNT - 1));
        }
        return String.format("_%02x", index);
    }

    /** The bucket index named by {@code name}, or -1 when it names no bucket (a host of the flat layout, say). */
    public static int indexOf(String name) {
        return name != null && NAME.matcher(name).matches() ? Integer.parseInt(name.substring(1), 16) : -1;
    }
}
