package dev.codedeploy.deploys;

import dev.codedeploy.database.Database;
import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.rollout.RolloutControlPlane;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves deploys through their states: every period it renews the leases of the deploys it holds, claims unfinished
 * deploys whose lease is free or passed (up to {@code deploys.maxInFlight}), and takes each one step
 * ({@link DeploySteps}). Several conductors may run, in several servers: one holds a given deploy at a time, every
 * write it makes is fenced by the claim's attempt, and when its server dies another claims the deploy once the lease
 * passes and resumes it from its recorded state.
 *
 * <p>Losing the database: the period fails and is tried again; leases that could not be renewed pass, and another
 * conductor (or this one, once the database is back) claims the deploys again. Losing ZooKeeper: publishing and
 * following rollouts fail and are tried again each period, within each deploy's deadline. Closing lets every held
 * deploy go at once, so that another conductor takes it without waiting for the lease.
 */
public final class DeployConductor extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(DeployConductor.class);

    private final DeployStore store;
    private final DeploySteps steps;
    private final DeploysConfig config;
    private final String id;
    private final Set<Long> scope;
    private final Map<Long, DeployLease> held = new LinkedHashMap<>();
    private ScheduledExecutorService executor;

    private DeployConductor(Database database, RolloutControlPlane plane, DeployGate gate, DeploysConfig config, String id, Set<Long> scope) {
        this.store = new DeployStore(database);
        this.steps = new DeploySteps(store, new JobQueue(database, QueueConfig.DEFAULTS), gate, plane, config.progressInterval());
        this.config = config;
        this.id = id;
        this.scope = scope;
    }

    /**
     * A conductor of every deploy.
     *
     * @param plane a started control plane (publish, status, audit), or null in a process that cannot publish (no
     *              ZooKeeper or signing key): it takes deploys up to PUBLISHING and leaves them there to another
     * @param gate  the deploy gate over the configured regions
     * @param id    names this conductor in the table and the logs; unique among running conductors
     */
    public static DeployConductor of(Database database, RolloutControlPlane plane, DeployGate gate, DeploysConfig config, String id) {
        return new DeployConductor(database, plane, gate, config, id, null);
    }

    /**
     * A conductor of only the deploys given to {@link #adopt}: what a process that embeds the control plane runs for
     * the deploys it requests (a server's conductor may take them as well; the lease decides).
     */
    public static DeployConductor scoped(Database database, RolloutControlPlane plane, DeployGate gate, DeploysConfig config, String id) {
        return new DeployConductor(database, plane, gate, config, id, ConcurrentHashMap.newKeySet());
    }

    /** Lets a scoped conductor claim deploy {@code deployId}. */
    public void adopt(long deployId) {
        if (scope == null) {
            throw new IllegalStateException("conductor " + id + " already conducts every deploy");
        }
        scope.add(deployId);
    }

    /** This conductor's name. */
    public String id() {
        return id;
    }

    /** The deploys it holds now. */
    public synchronized List<Long> heldDeploys() {
        return List.copyOf(held.keySet());
    }

    @Override
    protected void doStart() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deploy-conductor");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::periodSafely, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("deploy conductor {} started: every {}, lease {}, up to {} deploys{}", id, config.pollInterval(), config.lease(),
                config.maxInFlight(), scope == null ? "" : ", only those adopted");
    }

    private void periodSafely() {
        try {
            period();
        } catch (RuntimeException e) {
            log.warn("deploy conductor {}: {}; trying again in {}", id, e.getMessage(), config.pollInterval());
        }
    }

    /** One period: renew, claim, step. */
    synchronized void period() {
        renew();
        claim();
        for (DeployLease lease : new ArrayList<>(held.values())) {
            if (!isRunning()) {
                return;
            }
            try {
                switch (steps.advance(lease)) {
                    case DONE -> drop(lease.deployId());
                    case HAND_OVER -> {
                        log.info("conductor {} cannot publish: deploy {} is left to a server's conductor", id, lease.deployId());
                        store.release(lease);
                        drop(lease.deployId());
                    }
                    case AGAIN -> { }
                }
            } catch (DeployLeaseLostException e) {
                log.warn("{}", e.getMessage());
                drop(lease.deployId());
            } catch (RuntimeException e) {
                log.warn("deploy {}: {}; trying again in {}", lease.deployId(), e.toString(), config.pollInterval());
            }
        }
    }

    private void renew() {
        for (DeployLease lease : new ArrayList<>(held.values())) {
            if (!store.renew(lease, config.lease())) {
                log.info("deploy {} is no longer held by conductor {} (ended, or taken over)", lease.deployId(), id);
                drop(lease.deployId());
            }
        }
    }

    private void claim() {
        int room = config.maxInFlight() - held.size();
        List<Long> only = scope == null ? null : scope.stream().filter(d -> !held.containsKey(d)).sorted().toList();
        for (DeployLease lease : store.claim(id, room, config.lease(), only)) {
            held.put(lease.deployId(), lease);
            log.info("conductor {} took deploy {} (attempt {})", id, lease.deployId(), lease.attempt());
        }
    }

    private void drop(long deployId) {
        held.remove(deployId);
        steps.forget(deployId);
        if (scope != null) {
            scope.remove(deployId);
        }
    }

    @Override
    protected void doClose() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (DeployLease lease : held.values()) {
                try {
                    store.release(lease);
                } catch (RuntimeException e) {
                    log.debug("could not let deploy {} go: {} (its lease passes by itself)", lease.deployId(), e.getMessage());
                }
            }
            held.clear();
        }
    }
}
