package dev.codedeploy.sandbox.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.testing.EmbeddedMariaDb;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.StoredArtifact;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * No-op jobs through our queue and through db-scheduler, on the same embedded MariaDB with the same number of
 * workers, in the same run; our claim latencies are measured with a million finished jobs in the table.
 */
public final class QueueBenchmark implements Benchmark {

    private static final StoredArtifact NOTHING = new StoredArtifact("noop", 0, "0".repeat(64), "noop", "noop", "noop");

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public String description() {
        return "claim+complete throughput vs db-scheduler, 32 workers, 1M finished rows (--set jobs=20000 workers=32 history=1000000)";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        int jobs = ctx.intOption("jobs", 20_000);
        int workers = ctx.intOption("workers", 32);
        int history = ctx.intOption("history", 1_000_000);
        try (EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start(ctx.workDir().resolve("mariadb"))) {
            String url = mariaDb.createDatabase("bench");
            try (Database database = Database.open(new DatabaseConfig(url, "root", "", workers + 4))) {
                JobQueue queue = new JobQueue(database, QueueConfig.DEFAULTS);
                long started = System.nanoTime();
                insertHistory(database, history);
                ctx.say("loaded %,d finished jobs in %.1f s", history, (System.nanoTime() - started) / 1e9);

                try (HikariDataSource schedulerPool = pool(url, workers + 4)) {
                    createSchedulerTable(schedulerPool);
                    // db-scheduler two ways: one scheduler with all the threads (its best case: one fetcher feeds them),
                    // and one scheduler per worker (like our claimers: independent workers, as on separate hosts)
                    runDbScheduler(schedulerPool, Math.max(1000, jobs / 10), 1, workers);
                    double shared = runDbScheduler(schedulerPool, jobs, 1, workers).perSecond();
                    ctx.say("db-scheduler, 1 scheduler x %d threads: %,d no-op tasks, %,.0f/s", workers, jobs, shared);
                    Run perWorkerRun = runDbScheduler(schedulerPool, jobs, workers, 1);
                    double perWorker = perWorkerRun.perSecond();
                    ctx.say("db-scheduler, %d schedulers x 1 thread: %,d no-op tasks, %,.0f/s, %d duplicates", workers, jobs, perWorker,
                            perWorkerRun.duplicates());
                    double dbScheduler = Math.max(shared, perWorker);

                    runOurs(database, queue, Math.max(1000, jobs / 10), workers, new Latencies());
                    Latencies claims = new Latencies();
                    Map<String, Long> before = serverStatus(database);
                    Run ours = runOurs(database, queue, jobs, workers, claims);
                    Map<String, Long> after = serverStatus(database);
                    ctx.say("codedeploy, per job: %.2f statements, %.2f commits, %.3f row lock waits (%.1f ms waited in all)",
                            delta(before, after, "Questions") / (double) jobs, delta(before, after, "Com_commit") / (double) jobs,
                            delta(before, after, "Innodb_row_lock_waits") / (double) jobs, (double) delta(before, after, "Innodb_row_lock_time"));
                    long rows = count(database, "SELECT COUNT(*) FROM jobs");
                    ctx.say("codedeploy, %d claimers: %,d no-op jobs, %,.0f/s, claim p50 %.2f ms p99 %.2f ms, %d duplicates, %,d rows in jobs",
                            workers, jobs, ours.perSecond(), claims.percentileMillis(50), claims.percentileMillis(99), ours.duplicates(), rows);

                    Latencies single = new Latencies();
                    runOurs(database, queue, 2000, 1, single);
                    ctx.say("codedeploy, 1 claimer: claim p50 %.2f ms p99 %.2f ms (no CPU queueing behind other claimers)",
                            single.percentileMillis(50), single.percentileMillis(99));
                    ctx.say("ratio against db-scheduler's better configuration: %.2f", ours.perSecond() / dbScheduler);
                    return Result.bench(name())
                            .put("codedeploy_jobs_per_s", Math.round(ours.perSecond()))
                            .put("dbscheduler_jobs_per_s", Math.round(dbScheduler))
                            .put("ratio", ours.perSecond() / dbScheduler)
                            .put("duplicates", ours.duplicates())
                            .put("claim_p50_ms", claims.percentileMillis(50))
                            .put("claim_p99_ms", claims.percentileMillis(99))
                            .put("history_rows", rows)
                            .put("dbscheduler_shared_jobs_per_s", Math.round(shared))
                            .put("dbscheduler_per_worker_jobs_per_s", Math.round(perWorker))
                            .put("claim_p99_ms_one_claimer", single.percentileMillis(99));
                }
            }
        }
    }

    private record Run(int jobs, long nanos, int duplicates) {
        double perSecond() {
            return jobs / (nanos / 1e9);
        }
    }

    private static Run runOurs(Database database, JobQueue queue, int jobs, int workers, Latencies claims) throws Exception {
        execute(database, "INSERT INTO jobs (status, repo_url, sha, requested_by, created_at)"
                + " SELECT 'QUEUED', 'git://bench/noop', LPAD(HEX(seq), 40, '0'), 'bench', NOW(6) + INTERVAL seq MICROSECOND FROM seq_1_to_" + jobs);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String worker = "bench-" + w;
            futures.add(pool.submit(() -> {
                start.await();
                while (done.get() < jobs) {
                    long t0 = System.nanoTime();
                    var claimed = queue.claim(worker);
                    claims.add(System.nanoTime() - t0);
                    if (claimed.isEmpty()) {
                        break;
                    }
                    Job job = claimed.get();
                    if (!seen.add(job.id())) {
                        duplicates.incrementAndGet();
                    }
                    queue.complete(job.lease(), NOTHING);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.MINUTES);
        }
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        return new Run(done.get(), elapsed, duplicates.get());
    }

    private static Run runDbScheduler(HikariDataSource dataSource, int jobs, int schedulers, int threadsEach) throws Exception {
        execute(dataSource, "DELETE FROM scheduled_tasks");
        Map<String, Integer> executions = new ConcurrentHashMap<>();
        CountDownLatch finished = new CountDownLatch(jobs);
        OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, context) -> {
            executions.merge(instance.getId(), 1, Integer::sum);
            finished.countDown();
        });
        List<Scheduler> started = new ArrayList<>();
        for (int i = 0; i < schedulers; i++) {
            started.add(Scheduler.create(dataSource, task)
                    .threads(threadsEach)
                    .pollingInterval(Duration.ofMillis(50))
                    .schedulerName(new com.github.kagkarlsson.scheduler.SchedulerName.Fixed("bench-" + i))
                    .alwaysPersistTimestampInUTC()
                    .build());
        }
        List<TaskInstance<?>> instances = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            instances.add(task.instance("job-" + i));
        }
        started.get(0).scheduleBatch(instances, Instant.now().minusSeconds(1));
        long t0 = System.nanoTime();
        started.forEach(Scheduler::start);
        boolean done = finished.await(30, TimeUnit.MINUTES);
        long elapsed = System.nanoTime() - t0;
        started.forEach(Scheduler::stop);
        if (!done) {
            throw new IllegalStateException("db-scheduler did not finish " + jobs + " tasks");
        }
        int duplicates = (int) executions.values().stream().filter(n -> n > 1).count();
        return new Run(jobs, elapsed, duplicates);
    }

    private static void insertHistory(Database database, int rows) throws SQLException {
        int batch = 100_000;
        for (int from = 0; from < rows; from += batch) {
            int n = Math.min(batch, rows - from);
            execute(database, "INSERT INTO jobs (status, repo_url, sha, requested_by, created_at, started_at, finished_at, attempt,"
                    + " artifact_key, artifact_size, artifact_sha256) SELECT 'COMPLETED', 'git://bench/history', LPAD(HEX(seq), 40, '0'),"
                    + " 'bench', NOW(6) - INTERVAL seq SECOND, NOW(6) - INTERVAL seq SECOND, NOW(6) - INTERVAL seq SECOND, 1,"
                    + " CONCAT('builds/', seq, '/artifact'), 1024, REPEAT('0', 64) FROM seq_" + (from + 1) + "_to_" + (from + n));
        }
        execute(database, "ANALYZE TABLE jobs");
    }

    private static void createSchedulerTable(HikariDataSource dataSource) throws SQLException {
        // db-scheduler's MariaDB schema (its test resources, mariadb_tables.sql)
        execute(dataSource, "CREATE TABLE scheduled_tasks (task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(100) NOT NULL,"
                + " task_data BLOB, execution_time TIMESTAMP(6) NOT NULL, picked BOOLEAN NOT NULL, picked_by VARCHAR(50),"
                + " last_success TIMESTAMP(6) NULL, last_failure TIMESTAMP(6) NULL, consecutive_failures INT,"
                + " last_heartbeat TIMESTAMP(6) NULL, version BIGINT NOT NULL, priority SMALLINT,"
                + " PRIMARY KEY (task_name, task_instance), INDEX execution_time_idx (execution_time),"
                + " INDEX last_heartbeat_idx (last_heartbeat), INDEX priority_execution_time_idx (priority DESC, execution_time ASC))");
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("root");
        config.setPassword("");
        config.setMaximumPoolSize(size);
        config.setPoolName("db-scheduler");
        return new HikariDataSource(config);
    }

    private static Map<String, Long> serverStatus(Database database) throws SQLException {
        Map<String, Long> status = new java.util.HashMap<>();
        try (Connection c = database.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN"
                     + " ('Questions', 'Com_commit', 'Innodb_row_lock_waits', 'Innodb_row_lock_time')")) {
            while (rs.next()) {
                status.put(rs.getString(1), rs.getLong(2));
            }
        }
        return status;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
    }

    private static long count(Database database, String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Database database, String sql) throws SQLException {
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            s.execute(sql);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private static void execute(HikariDataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
