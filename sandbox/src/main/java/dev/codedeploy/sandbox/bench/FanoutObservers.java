package dev.codedeploy.sandbox.bench;

import dev.codedeploy.json.Json;
import dev.codedeploy.release.InvalidReleaseException;
import dev.codedeploy.release.SignedRelease;
import java.io.Closeable;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * The hosts of the fanout benchmark, as light as a host can be: each one reads the release node of its regional
 * ZooKeeper, notes when it first saw each version, and verifies the signature of each. A {@link Watching} host has a session
 * of its own and a data watch (what an agent does); a {@link Polling} host reads every interval on a shared session
 * (the seed design).
 */
final class FanoutObservers {

    private FanoutObservers() {
    }

    /** Something that sees release versions. */
    static class Observer {

        private final Map<Long, Long> firstSeen = new ConcurrentHashMap<>();
        private final Map<Long, byte[]> records = new ConcurrentHashMap<>();
        private volatile long latest;
        private final String path;
        private final PublicKey key;

        Observer(String path, PublicKey key) {
            this.path = path;
            this.key = key;
        }

        String path() {
            return path;
        }

        /**
         * Notes {@code nanos}, the moment the bytes arrived, as the time their version was first seen, and keeps the
         * bytes for {@link #verifyAll()}. Each record is verified, but after the measurement: the JDK's Ed25519 takes
         * about a millisecond of CPU here, which real hosts spend each on its own CPU, while here a thousand would
         * queue on two cores and measure the queue.
         */
        void saw(byte[] data, long nanos) {
            long version;
            try {
                version = versionOf(data);
            } catch (RuntimeException e) {
                return;
            }
            if (version > latest) {
                firstSeen.putIfAbsent(version, nanos);
                records.putIfAbsent(version, data);
                latest = version;
            }
        }

        private long versionOf(byte[] data) {
            SignedRelease envelope = Json.read(data, SignedRelease.class, path);
            return envelope.payloadTree().path("version").asLong();
        }

        /**
         * Verifies the signature of every record this host saw.
         *
         * @throws InvalidReleaseException at the first one that does not verify
         */
        void verifyAll() {
            records.values().forEach(bytes -> SignedRelease.verify(bytes, key, path));
        }

        long latest() {
            return latest;
        }

        /** When a version at least {@code version} was first seen, or -1. */
        long firstSeenAtLeast(long version) {
            return firstSeen.entrySet().stream().filter(e -> e.getKey() >= version).mapToLong(Map.Entry::getValue).min().orElse(-1);
        }
    }

    /** A host with its own session and a data watch on the release node. */
    static final class Watching extends Observer implements Watcher, AsyncCallback.DataCallback, Closeable {

        private final ZooKeeper zk;
        private final CountDownLatch connected = new CountDownLatch(1);

        Watching(String connectString, String path, PublicKey key) throws java.io.IOException {
            super(path, key);
            this.zk = new ZooKeeper(connectString, 30_000, this);
        }

        boolean awaitConnected(long millis) throws InterruptedException {
            return connected.await(millis, TimeUnit.MILLISECONDS);
        }

        void read() {
            zk.getData(path(), this, this, null);
        }

        @Override
        public void process(WatchedEvent event) {
            if (event.getState() == Event.KeeperState.SyncConnected && event.getType() == Event.EventType.None) {
                connected.countDown();
            }
            if (event.getType() == Event.EventType.NodeDataChanged || event.getType() == Event.EventType.NodeCreated) {
                read();
            }
        }

        @Override
        public void processResult(int rc, String path, Object ctx, byte[] data, org.apache.zookeeper.data.Stat stat) {
            if (rc == 0) {
                saw(data, System.nanoTime());
            }
        }

        @Override
        public void close() {
            try {
                zk.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Hosts that poll every {@code interval} from a random phase, over one shared session per region. */
    static final class Polling implements Closeable {

        private final List<Observer> hosts = new ArrayList<>();
        private final List<ZooKeeper> sessions;
        private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "fanout-poller");
            t.setDaemon(true);
            return t;
        });

        Polling(List<ZooKeeper> sessions, int count, String path, PublicKey key, long intervalMillis) {
            this.sessions = sessions;
            for (int i = 0; i < count; i++) {
                Observer host = new Observer(path, key);
                ZooKeeper zk = sessions.get(i % sessions.size());
                hosts.add(host);
                AsyncCallback.DataCallback callback = (rc, p, ctx, data, stat) -> {
                    if (rc == 0) {
                        host.saw(data, System.nanoTime());
                    }
                };
                long phase = ThreadLocalRandom.current().nextLong(intervalMillis);
                scheduler.scheduleAtFixedRate(() -> zk.getData(path, false, callback, null), phase, intervalMillis, TimeUnit.MILLISECONDS);
            }
        }

        List<Observer> hosts() {
            return hosts;
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
            for (ZooKeeper zk : sessions) {
                try {
                    zk.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
