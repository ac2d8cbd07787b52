package dev.codedeploy.sandbox.bench.fleet;

import dev.codedeploy.agent.zk.PeerDiscovery;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.rollout.HostEnrollment;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.data.ACL;

/**
 * Many {@link FleetHost}s of one region: enrolled as an operator would ({@link HostEnrollment}), spread over a few
 * hundred ZooKeeper sessions (each authenticated as its hosts, creating each host's nodes with that host's ACL) and
 * one pool of threads. Host ids look like EC2's ({@code ip-10-0-3-7.ec2.internal}); zones are dealt in turn.
 */
public final class SimulatedFleet implements AutoCloseable {

    private final List<FleetHost> hosts = new ArrayList<>();
    private final List<CuratorFramework> sessions = new ArrayList<>();
    private final ScheduledExecutorService executor;

    private SimulatedFleet(int threads) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "fleet");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    /** The id of simulated host {@code n}. */
    static String hostId(int n) {
        return "ip-10-" + (n >> 16 & 255) + "-" + (n >> 8 & 255) + "-" + (n & 255) + ".ec2.internal";
    }

    /**
     * Enrolls {@code count} hosts and starts them, {@code perSession} to a session, waiting until every one has written
     * its nodes.
     *
     * @param region     the region's ZooKeeper, without credentials (each session adds its hosts')
     * @param enrollment the control plane's enrollment in that region
     * @param zones      how many zones the hosts are dealt into
     * @param progress   told how far the start is
     */
    public static SimulatedFleet start(ZooKeeperConfig region, HostEnrollment enrollment, String environment, int count, int perSession,
                                       int zones, FleetHost.Settings settings, PublicKey key, int threads, Consumer<String> progress)
            throws Exception {
        SimulatedFleet fleet = new SimulatedFleet(threads);
        try {
            fleet.enroll(enrollment, environment, count, progress);
            for (int first = 0; first < count; first += perSession) {
                List<String> ids = new ArrayList<>();
                Map<String, List<ACL>> acls = new HashMap<>();
                List<Credentials> identities = new ArrayList<>();
                for (int n = first; n < Math.min(count, first + perSession); n++) {
                    Credentials own = enrollment.credentials(hostId(n));
                    ids.add(own.user());
                    identities.add(own);
                    acls.put(own.user(), RolloutAcls.agent(own).getDefaultAcl());
                }
                CuratorFramework session = ZooKeeperClients.start(region, new PerHostAcls(acls), identities.toArray(Credentials[]::new));
                fleet.sessions.add(session);
                for (int i = 0; i < ids.size(); i++) {
                    int n = first + i;
                    fleet.hosts.add(new FleetHost(ids.get(i), environment, "zone-" + (char) ('a' + n % zones), session, fleet.executor,
                            settings, key, n));
                }
            }
            for (CuratorFramework session : fleet.sessions) {
                if (!session.blockUntilConnected(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a fleet session did not connect to " + region.connectString());
                }
            }
            fleet.hosts.forEach(FleetHost::start);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (fleet.hosts.stream().anyMatch(h -> !h.isRegistered())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(fleet.hosts.stream().filter(h -> !h.isRegistered()).count() + " hosts did not register");
                }
                Thread.sleep(200);
            }
            progress.accept(count + " hosts registered over " + fleet.sessions.size() + " sessions");
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    private void enroll(HostEnrollment enrollment, String environment, int count, Consumer<String> progress) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                String host = hostId(n);
                done.add(pool.submit(() -> enrollment.enroll(environment, host)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        progress.accept(count + " hosts enrolled");
    }

    /** The hosts. */
    List<FleetHost> hosts() {
        return hosts;
    }

    /** When ({@link System#nanoTime()}) the last host reported HEALTHY, or 0 while one has not. */
    public long lastHealthyAt() {
        long last = 0;
        for (FleetHost host : hosts) {
            long at = host.healthyAt();
            if (at == 0) {
                return 0;
            }
            last = Math.max(last, at);
        }
        return last;
    }

    /** The discovery cost of every host that downloaded, added up. */
    public DiscoveryTotals discoveryTotals() {
        DiscoveryTotals totals = new DiscoveryTotals();
        for (FleetHost host : hosts) {
            PeerDiscovery.Stats s = host.discoveryStats();
            if (s != null) {
                totals.hosts++;
                totals.reads += s.reads();
                totals.listings += s.listings();
                totals.namesListed += s.namesListed();
                totals.largestListing = Math.max(totals.largestListing, s.largestListing());
                totals.full += s.sampleFull() ? 1 : 0;
            }
        }
        return totals;
    }

    /** What the hosts' discoveries asked for, together. */
    public static final class DiscoveryTotals {
        int hosts;
        long reads;
        long listings;
        long namesListed;
        int largestListing;
        int full;

        /** The share of the hosts that downloaded whose sample of peers filled before their download ended. */
        public double fullShare() {
            return hosts == 0 ? 0 : full / (double) hosts;
        }

        /** Peer-node reads per host that downloaded. */
        public double readsPerHost() {
            return hosts == 0 ? 0 : reads / (double) hosts;
        }

        /** Bucket listings per host. */
        public double listingsPerHost() {
            return hosts == 0 ? 0 : listings / (double) hosts;
        }

        /** Names in the largest listing any host made. */
        public int largestListing() {
            return largestListing;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        hosts.forEach(FleetHost::stop);
        // the ephemeral nodes go with the sessions
        sessions.forEach(CuratorFramework::close);
    }

    /** Creates a host's nodes with that host's ACL: {@code /codedeploy/<env>/hosts/<bucket>/<host>/...}. */
    private record PerHostAcls(Map<String, List<ACL>> acls) implements ACLProvider {
        @Override
        public List<ACL> getDefaultAcl() {
            throw new IllegalStateException("a simulated host creates only its own nodes");
        }

        @Override
        public List<ACL> getAclForPath(String path) {
            String[] parts = path.split("/");
            List<ACL> acl = parts.length > 5 ? acls.get(parts[5]) : null;
            if (acl == null) {
                throw new IllegalStateException("no simulated host of this session creates " + path);
            }
            return acl;
        }
    }
}
