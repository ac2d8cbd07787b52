package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import bt.net.SharedSelector;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's peer-connection selector with a real connection over loopback. The first test holds bt's lock as bt's
 * selector thread does during a select: with bt's own {@link SharedSelector} the registration spins until it is
 * released, and the test fails.
 */
class RegisteringSelectorTest {

    private SharedSelector selector;
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel accepted;

    @BeforeEach
    void open() throws Exception {
        selector = new RegisteringSelector(Selector.open());
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = SocketChannel.open(server.getLocalAddress());
        accepted = server.accept();
        accepted.configureBlocking(false);
        client.write(ByteBuffer.wrap(new byte[] {19}));
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        accepted.close();
        server.close();
        selector.close();
    }

    @Test
    void aConnectionIsRegisteredWhileTheSelectorThreadHoldsItsLock() throws Exception {
        // what bt's selector thread does during every select, here for as long as the test needs: hold the write lock
        // (bt 1.10 made the registering thread spin until it caught the lock free, for over 30 s on a busy machine)
        ReentrantReadWriteLock lock = registrationLock(selector);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread selecting = new Thread(() -> {
            lock.writeLock().lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.writeLock().unlock();
            }
        });
        selecting.start();
        try {
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> registration = CompletableFuture.runAsync(
                    () -> selector.wakeupAndRegister(accepted, SelectionKey.OP_READ, "peer"));
            registration.get(10, TimeUnit.SECONDS);
            assertThat(selector.keyFor(accepted)).hasValueSatisfying(key -> assertThat(key.attachment()).isEqualTo("peer"));
        } finally {
            release.countDown();
            selecting.join(10_000);
        }
    }

    @Test
    void aSelectInProgressWakesUpAndSeesTheNewConnection() throws Exception {
        // bt's receiving loop: select (up to a minute here) until a channel is ready
        CompletableFuture<Integer> selected = CompletableFuture.supplyAsync(() -> {
            try {
                for (int i = 0; i < 1000; i++) {
                    int ready = selector.select(60_000);
                    if (ready > 0) {
                        return ready;
                    }
                }
                return 0;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // registered while the select is in progress: Java 17 leaves that select alone, so only a wake-up ends it
        Field selecting = SharedSelector.class.getDeclaredField("selectInProgress");
        selecting.setAccessible(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> selecting.getBoolean(selector));
        selector.wakeupAndRegister(accepted, SelectionKey.OP_READ, "peer");
        // long before the minute: the registration woke the selector, and its next select saw the waiting byte
        assertThat(selected.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(selector.selectedKeys()).extracting(SelectionKey::attachment).containsExactly("peer");
    }

    private static ReentrantReadWriteLock registrationLock(SharedSelector selector) throws ReflectiveOperationException {
        Field field = SharedSelector.class.getDeclaredField("registrationLock");
        field.setAccessible(true);
        return (ReentrantReadWriteLock) field.get(selector);
    }
}
