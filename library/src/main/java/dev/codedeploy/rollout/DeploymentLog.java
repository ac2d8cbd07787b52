package dev.codedeploy.rollout;

import dev.codedeploy.CodeDeployException;
import dev.codedeploy.database.Database;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.session.SqlSession;

/** The {@code deployments} audit history: every publish, wave change, pause, resume, rollback and lock, and who asked. */
public final class DeploymentLog {

    private static final int MAX_DETAIL = 4000;

    private final Database database;

    /** The log in {@code database}. */
    public DeploymentLog(Database database) {
        this.database = database.addMapper(DeploymentMapper.class);
    }

    /** Records one row in its own transaction and returns its id. */
    public long record(String environment, Long jobId, Long releaseVersion, DeploymentAction action, String detail, String actor) {
        return record(environment, jobId, releaseVersion, null, action, detail, actor);
    }

    /** Records one row of deploy {@code deployId} (null: none) in its own transaction and returns its id. */
    public long record(String environment, Long jobId, Long releaseVersion, Long deployId, DeploymentAction action, String detail,
                       String actor) {
        return database.inTransaction(DeploymentMapper.class, m -> insert(m, environment, jobId, releaseVersion, deployId, action, detail, actor));
    }

    /** The publish row of deploy {@code deployId}, if it was recorded. */
    public java.util.Optional<Deployment> publishOf(long deployId) {
        return java.util.Optional.ofNullable(database.inTransaction(DeploymentMapper.class, m -> m.findPublishOf(deployId)));
    }

    /**
     * Runs {@code work} between the insert of a row and its commit, so that the row exists only when the work (a
     * ZooKeeper write) succeeded; a failing work rolls the row back and its exception propagates.
     */
    public <T> Recorded<T> recordAround(String environment, Long jobId, String actor, RecordedWork<T> work) {
        try (SqlSession session = database.openSession()) {
            DeploymentMapper mapper = session.getMapper(DeploymentMapper.class);
            // reading the clock first also proves the database is up before anything is written elsewhere
            Instant now = mapper.now();
            RecordedWork.Outcome<T> outcome = work.run(now);
            try {
                long id = insert(mapper, environment, jobId, outcome.releaseVersion(), outcome.deployId(), outcome.action(), outcome.detail(), actor);
                session.commit();
                return new Recorded<>(id, outcome.value());
            } catch (RuntimeException e) {
                throw new CodeDeployException(outcome.action() + " of " + environment + " was done (" + outcome.detail()
                        + ") but its audit row could not be written: " + e.getMessage(), e);
            }
        }
    }

    /** The newest {@code limit} rows of {@code environment}, newest first. */
    public List<Deployment> recent(String environment, int limit) {
        return database.inTransaction(DeploymentMapper.class, m -> m.findRecent(environment, limit));
    }

    /** Rows of {@code environment} after row {@code afterId}, oldest first. */
    public List<Deployment> after(String environment, long afterId, int limit) {
        return database.inTransaction(DeploymentMapper.class, m -> m.findAfter(environment, afterId, limit));
    }

    /** The database clock. */
    public Instant now() {
        return database.inTransaction(DeploymentMapper.class, DeploymentMapper::now);
    }

    private static long insert(DeploymentMapper mapper, String environment, Long jobId, Long releaseVersion, Long deployId,
                               DeploymentAction action, String detail, String actor) {
        DeploymentMapper.NewDeployment row = new DeploymentMapper.NewDeployment();
        row.environment = environment;
        row.jobId = jobId;
        row.releaseVersion = releaseVersion;
        row.deployId = deployId;
        row.action = action;
        row.detail = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 3) + "...";
        row.actor = actor;
        mapper.insert(row);
        return row.id;
    }

    /**
     * Work done inside {@link #recordAround}.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface RecordedWork<T> {
        /** Does the work, given the database clock's time at the start of the transaction. */
        Outcome<T> run(Instant databaseNow);

        /**
         * What the work returns, with the row's action, version and detail.
         *
         * @param value          the result
         * @param action         the row's action
         * @param releaseVersion the release version written, or null
         * @param detail         the row's detail
         * @param deployId       the deploy the row belongs to, or null
         * @param <T>            the result type
         */
        record Outcome<T>(T value, DeploymentAction action, Long releaseVersion, String detail, Long deployId) {

            /** An outcome of no deploy. */
            public Outcome(T value, DeploymentAction action, Long releaseVersion, String detail) {
                this(value, action, releaseVersion, detail, null);
            }
        }
    }

    /**
     * A recorded result.
     *
     * @param deploymentId the audit row
     * @param value        the work's result
     * @param <T>          the result type
     */
    public record Recorded<T>(long deploymentId, T value) {
    }
}
