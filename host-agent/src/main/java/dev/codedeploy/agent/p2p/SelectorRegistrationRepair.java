package dev.codedeploy.agent.p2p;

import bt.module.PeerConnectionSelector;
import bt.net.SharedSelector;
import bt.runtime.BtRuntime;
import com.google.inject.Key;
import java.lang.reflect.Field;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs how bt 1.10 registers a new connection with its selector, which starves on a busy machine.
 *
 * <p>bt's {@link SharedSelector} guards registration with a read-write lock: its selector thread holds the write lock
 * during every select and takes it again at once, while a thread registering a connection spins on the read lock's
 * {@code tryLock}, waking the selector up, until it happens to run in the instant between two selects. On two busy
 * cores that took over 30 s: the seeder never read an accepted connection's handshake, and both sides waited for
 * their 30 s handshake timeout before trying again (a download made no progress for a minute).
 *
 * <p>Since Java 11 a registration never waits for a select in progress (it is seen by the next one), so the lock is
 * not needed. The repair replaces it, before bt starts, with one whose read side never waits and wakes the selector
 * up on release, so the next select, at once, sees the new connection. It is reached by reflection (the field is
 * private); when that is not possible bt runs as it is and a warning says so.
 */
final class SelectorRegistrationRepair {

    private static final Logger LOG = LoggerFactory.getLogger(SelectorRegistrationRepair.class);
    private static final Field LOCK = lockField();

    private SelectorRegistrationRepair() {
    }

    private static Field lockField() {
        try {
            Field field = SharedSelector.class.getDeclaredField("registrationLock");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("bt's selector registration is not repaired (new connections may wait for seconds on a busy "
                    + "machine): {}", e.toString());
            return null;
        }
    }

    /** Repairs the peer-connection selector of {@code runtime}; call before the runtime starts. */
    static void install(BtRuntime runtime) {
        install(runtime.getInjector().getInstance(Key.get(SharedSelector.class, PeerConnectionSelector.class)));
    }

    /**
     * Repairs {@code selector}; call before any thread selects or registers with it.
     *
     * @return true when repaired
     */
    static boolean install(SharedSelector selector) {
        if (LOCK == null) {
            return false;
        }
        try {
            // SharedSelector.wakeup() wakes its delegate without the lock
            LOCK.set(selector, new RegistrationNeverWaits(selector));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("bt's selector registration is not repaired: {}", e.toString());
            return false;
        }
    }

    /** The write side (the selector thread's) as before; the read side (a registration's) never waits. */
    static final class RegistrationNeverWaits extends ReentrantReadWriteLock {

        private final ReadLock registration;

        RegistrationNeverWaits(Selector selector) {
            this.registration = new WakeUpOnRelease(this, selector);
        }

        @Override
        public ReadLock readLock() {
            return registration;
        }
    }

    /** Taken at once; released after the registration, when it wakes the selector up to see the new channel. */
    static final class WakeUpOnRelease extends ReentrantReadWriteLock.ReadLock {

        private final transient Selector selector;

        WakeUpOnRelease(ReentrantReadWriteLock lock, Selector selector) {
            super(lock);
            this.selector = selector;
        }

        @Override
        public void lock() {
            // nothing to wait for: a registration does not block on a select in progress
        }

        @Override
        public void lockInterruptibly() {
            // as lock()
        }

        @Override
        public boolean tryLock() {
            return true;
        }

        @Override
        public boolean tryLock(long timeout, TimeUnit unit) {
            return true;
        }

        @Override
        public void unlock() {
            selector.wakeup();
        }
    }
}
