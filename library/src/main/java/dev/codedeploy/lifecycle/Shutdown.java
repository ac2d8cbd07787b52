package dev.codedeploy.lifecycle;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shutdown wiring of an entry point: on SIGTERM or Ctrl-C (the JVM's shutdown hook) the services and resources
 * handed to it are closed, the last added first, each once; a failing close is logged and the others still close.
 * The entry point's main thread waits in {@link #await()} until that is done, then returns its exit code.
 *
 * <pre>{@code
 * Shutdown shutdown = Shutdown.onSignal("worker", database, store);
 * shutdown.add(pool).start();
 * shutdown.await();
 * }</pre>
 */
public final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private final String name;
    private final Deque<AutoCloseable> resources = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private Shutdown(String name) {
        this.name = name;
    }

    /**
     * Registers a shutdown hook (thread {@code NAME-shutdown}) that closes {@code resources}, and those {@link #add}ed
     * later, in the reverse of their order.
     */
    public static Shutdown onSignal(String name, AutoCloseable... resources) {
        Shutdown shutdown = create(name, resources);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::closeAll, name + "-shutdown"));
        return shutdown;
    }

    /** The same without a hook: for tests, which call {@link #closeAll()} as the signal would. */
    static Shutdown create(String name, AutoCloseable... resources) {
        Shutdown shutdown = new Shutdown(name);
        for (AutoCloseable r : resources) {
            shutdown.add(r);
        }
        return shutdown;
    }

    /** Adds a resource, closed before those added earlier; null is ignored. Returns it, for chaining. */
    public <T extends AutoCloseable> T add(T resource) {
        if (resource != null) {
            resources.push(resource);
        }
        return resource;
    }

    /** Blocks until the signal's hook has closed everything. */
    public void await() throws InterruptedException {
        closed.await();
    }

    /**
     * Closes everything now, the last added first; only the first call does anything. The shutdown hook calls it;
     * an entry point that ends on its own (end of input, a failed start) may too.
     */
    public void closeAll() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        List<String> failures = new ArrayList<>();
        try {
            for (AutoCloseable r = resources.poll(); r != null; r = resources.poll()) {
                try {
                    r.close();
                } catch (Exception | Error e) {
                    failures.add(r.getClass().getSimpleName() + ": " + e);
                    log.warn("{}: stopping {} failed: {}", name, r.getClass().getSimpleName(), e.toString());
                }
            }
            log.info("{} stopped{}", name, failures.isEmpty() ? "" : " with " + failures.size() + " failure(s) while stopping");
        } finally {
            closed.countDown();
        }
    }
}
