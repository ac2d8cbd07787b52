package dev.codedeploy.build;

import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of builder workers in this process. Each worker claims the oldest QUEUED job, runs it to its end, and
 * claims again; an idle worker waits {@code pollInterval} (or until {@link #wakeUp()}). Heartbeats run on their own
 * threads.
 *
 * <p>At start, and every {@value #SWEEP_EVERY_HEARTBEATS} heartbeat intervals, the pool deletes the workspace,
 * staging and sandbox folders of attempts that no longer run (see {@link #sweepFolders()}): a worker killed mid-build
 * leaves them behind.
 *
 * <p>When the database is unreachable, workers log and poll again (a sweep logs and waits for the next); a running
 * build gives its job up after twice the heartbeat interval without a renewed lease. {@link #close()} stops claiming
 * and gives running jobs back to the queue.
 */
public final class WorkerPool extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    static final int SWEEP_EVERY_HEARTBEATS = 4;

    private final JobQueue queue;
    private final BlobStore store;
    private final BlobStoreConfig storeConfig;
    private final BuildConfig config;
    private final GitMirrors mirrors;
    private final WorkFolders folders;
    private final String idPrefix;
    private final Map<String, BuildExecution> running = new ConcurrentHashMap<>();
    private BuildSandbox sandbox;
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition work = idleLock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    private ScheduledExecutorService heartbeats;

    /**
     * A pool that builds jobs of {@code queue} into {@code store}.
     *
     * @param storeConfig the store's settings, to predict the ETag it computes
     */
    public WorkerPool(JobQueue queue, BlobStore store, BlobStoreConfig storeConfig, BuildConfig config) {
        this.queue = queue;
        this.store = store;
        this.storeConfig = storeConfig;
        this.config = config;
        this.mirrors = new GitMirrors(config.workDir());
        this.folders = new WorkFolders(config);
        this.idPrefix = hostName() + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    @Override
    protected void doStart() {
        // before any claim: a root worker that cannot isolate builds refuses to start
        sandbox = BuildSandbox.prepare(config);
        heartbeats = Executors.newScheduledThreadPool(Math.max(1, Math.min(config.workers(), 4)), r -> {
            Thread t = new Thread(r, "build-heartbeat");
            t.setDaemon(true);
            return t;
        });
        sweepSafely();
        long sweep = config.heartbeatInterval().toMillis() * SWEEP_EVERY_HEARTBEATS;
        heartbeats.scheduleWithFixedDelay(this::sweepSafely, sweep, sweep, TimeUnit.MILLISECONDS);
        for (int i = 1; i <= config.workers(); i++) {
            String workerId = idPrefix + "-" + i;
            Thread t = new Thread(() -> loop(workerId), "build-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        log.info("{} build worker(s) started as {}-*, heartbeat every {}; builds run {}", config.workers(), idPrefix,
                config.heartbeatInterval(), sandbox.describe());
    }

    /** Makes idle workers look for a job now (after a local enqueue). */
    public void wakeUp() {
        idleLock.lock();
        try {
            work.signalAll();
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * Deletes the workspace, staging and sandbox folders under {@code build.workDir} of attempts that are not RUNNING
     * under a live lease (heartbeat within twice the interval) and not running in this pool: one read of the jobs
     * table per sweep.
     *
     * @return how many folders were deleted
     */
    public int sweepFolders() {
        return folders.sweep(queue, config.heartbeatInterval().multipliedBy(2),
                () -> running.values().stream().map(e -> WorkFolders.name(e.job())).collect(java.util.stream.Collectors.toSet()));
    }

    private void sweepSafely() {
        try {
            sweepFolders();
        } catch (RuntimeException e) {
            log.warn("cannot sweep the folders of ended build attempts now (next sweep in {} heartbeat intervals): {}",
                    SWEEP_EVERY_HEARTBEATS, e.getMessage());
        }
    }

    /** The ids of this pool's workers that hold a job now, with the job. */
    public Map<String, Job> runningJobs() {
        Map<String, Job> jobs = new ConcurrentHashMap<>();
        running.forEach((worker, execution) -> jobs.put(worker, execution.job()));
        return jobs;
    }

    private void loop(String workerId) {
        while (isRunning()) {
            Optional<Job> claimed;
            try {
                claimed = queue.claim(workerId);
            } catch (RuntimeException e) {
                log.warn("worker {} cannot claim: {}", workerId, e.getMessage());
                claimed = Optional.empty();
            }
            if (claimed.isEmpty()) {
                idle();
                continue;
            }
            Job job = claimed.get();
            log.info("worker {} claimed job {} (attempt {}) for {}", workerId, job.id(), job.attempt(), job.sha());
            BuildExecution execution = new BuildExecution(job, queue, store, storeConfig, mirrors, config, sandbox);
            running.put(workerId, execution);
            try {
                if (!isRunning()) {
                    execution.abort(AbortReason.SHUTDOWN);
                }
                execution.run(heartbeats);
            } catch (Throwable e) {
                // the attempt has ended its lease already; the worker lives on for the next job
                log.error("worker {}: job {} ended with {}", workerId, job.id(), e.toString(), e);
            } finally {
                running.remove(workerId);
            }
        }
    }

    private void idle() {
        idleLock.lock();
        try {
            if (isRunning()) {
                work.await(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            idleLock.unlock();
        }
        Thread.interrupted();
    }

    @Override
    protected void doClose() {
        running.values().forEach(e -> e.abort(AbortReason.SHUTDOWN));
        wakeUp();
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        log.info("build workers {}-* stopped", idPrefix);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
