package dev.codedeploy.agent.p2p;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shortens three intervals that bt 1.10 hard-codes, which slow a small, fast swarm of few large pieces:
 * <ul>
 *   <li>{@code Choker.CHOKING_THRESHOLD} (10 s): a peer that stopped being interested is choked, and when it becomes
 *       interested again (its neighbour finished a new piece) it waits up to 10 s to be unchoked. With 4 MiB pieces
 *       that arrive every second or two, interest changes all the time and peers sat idle; 500 ms keeps the
 *       anti-fibrillation idea without the stall.</li>
 *   <li>{@code TorrentWorker.UPDATE_ASSIGNMENTS_OPTIONAL_INTERVAL} (1 s) and {@code ..._MANDATORY_INTERVAL} (5 s): how
 *       often a host reconsiders which peers have pieces it wants; 250 ms and 1 s.</li>
 * </ul>
 * They are private static final fields without a setting, so they are replaced once, at start, through
 * {@code sun.misc.Unsafe} (looked up reflectively)
 * (before bt runs any torrent, so no compiled code has folded the old values). When that is not possible (another
 * bt, a JDK without {@code sun.misc.Unsafe}) bt keeps its defaults and a warning says so: slower, still correct.
 */
final class BtTuning {

    private static final Logger LOG = LoggerFactory.getLogger(BtTuning.class);
    private static final AtomicBoolean APPLIED = new AtomicBoolean();

    private BtTuning() {
    }

    /**
     * Hashes some data with SHA-1 (bt's pieces) and SHA-256 (the whole file) in the background, so that the JIT has
     * compiled both digests (with their CPU intrinsics) before the first release arrives: a cold agent otherwise
     * checks its first download at interpreter speed.
     */
    static void warmUpDigests() {
        Thread warmUp = new Thread(() -> {
            byte[] block = new byte[1 << 20];
            try {
                java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
                java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < 48; i++) {
                    sha1.update(block);
                    sha256.update(block);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                LOG.debug("no digest to warm up: {}", e.toString());
            }
        }, "digest-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /** Applies the shorter intervals, once per JVM. */
    static void apply() {
        if (!APPLIED.compareAndSet(false, true)) {
            return;
        }
        warmUpDigests();
        try {
            Class<?> unsafeType = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeType.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            replace(unsafe, "bt.torrent.messaging.Choker", "CHOKING_THRESHOLD", Duration.ofMillis(500));
            replace(unsafe, "bt.torrent.messaging.TorrentWorker", "UPDATE_ASSIGNMENTS_OPTIONAL_INTERVAL", Duration.ofMillis(250));
            replace(unsafe, "bt.torrent.messaging.TorrentWorker", "UPDATE_ASSIGNMENTS_MANDATORY_INTERVAL", Duration.ofSeconds(1));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warn("bt keeps its default choking and assignment intervals (downloads in small swarms are slower): {}", e.toString());
        }
    }

    private static void replace(Object unsafe, String className, String fieldName, Duration value) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className, true, BtTuning.class.getClassLoader());
        Field field = type.getDeclaredField(fieldName);
        if (field.getType() != Duration.class) {
            throw new NoSuchFieldException(className + "." + fieldName + " is not a Duration in this bt");
        }
        Class<?> unsafeType = unsafe.getClass();
        Object base = unsafeType.getMethod("staticFieldBase", Field.class).invoke(unsafe, field);
        long offset = (long) unsafeType.getMethod("staticFieldOffset", Field.class).invoke(unsafe, field);
        unsafeType.getMethod("putObject", Object.class, long.class, Object.class).invoke(unsafe, base, offset, value);
    }
}
