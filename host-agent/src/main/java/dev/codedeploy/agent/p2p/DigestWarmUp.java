package dev.codedeploy.agent.p2p;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes some data with SHA-1 (bt's pieces) and SHA-256 (the whole file) in the background, once per JVM, so that
 * the JIT has compiled both digests (with their CPU intrinsics) before the first release arrives: a cold agent
 * otherwise checks its first download at interpreter speed.
 */
final class DigestWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(DigestWarmUp.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private DigestWarmUp() {
    }

    static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread warmUp = new Thread(() -> {
            byte[] block = new byte[1 << 20];
            try {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < 48; i++) {
                    sha1.update(block);
                    sha256.update(block);
                }
            } catch (NoSuchAlgorithmException e) {
                LOG.debug("no digest to warm up: {}", e.toString());
            }
        }, "digest-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }
}
