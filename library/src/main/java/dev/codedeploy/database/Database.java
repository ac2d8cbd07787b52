package dev.codedeploy.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.codedeploy.config.Redaction;
import java.sql.Connection;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.flywaydb.core.Flyway;

/**
 * The jobs database: a HikariCP pool whose connections run READ COMMITTED in UTC, the schema migrated by Flyway,
 * and MyBatis sessions over it. Mappers register themselves with {@link #addMapper(Class)}.
 *
 * <p>READ COMMITTED everywhere: under REPEATABLE READ a claimer holding the queue head makes a requeue of an older
 * row wait on a gap lock, and MariaDB's snapshot isolation turns read-then-write into error 1020.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final SqlSessionFactory sessions;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        // connections stay in manual-commit mode for their whole life: flipping autocommit around each
        // transaction would cost two extra round trips
        JdbcTransactionFactory transactions = new JdbcTransactionFactory();
        java.util.Properties txProperties = new java.util.Properties();
        txProperties.setProperty("skipSetAutoCommitOnClose", "true");
        transactions.setProperties(txProperties);
        Configuration configuration = new Configuration(new Environment("codedeploy", transactions, dataSource));
        configuration.setMapUnderscoreToCamelCase(true);
        configuration.setArgNameBasedConstructorAutoMapping(true);
        configuration.setDefaultStatementTimeout(30);
        this.sessions = new SqlSessionFactoryBuilder().build(configuration);
    }

    /**
     * Opens the pool and migrates the schema to the newest version.
     *
     * @throws DatabaseException when the database cannot be reached or migrated, naming the URL
     */
    public static Database open(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        // named, so that the driver is found under class loaders that hide DriverManager's service lookup (Jenkins plugins)
        hikari.setDriverClassName("com.mysql.cj.jdbc.Driver");
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setPoolName("codedeploy-db");
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hikari.setAutoCommit(false);
        hikari.setConnectionTimeout(10_000);
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("connectionTimeZone", "UTC");
        hikari.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        hikari.addDataSourceProperty("preserveInstants", "true");
        hikari.addDataSourceProperty("rewriteBatchedStatements", "true");
        // the driver tracks autocommit, isolation and open transactions itself instead of asking the server
        hikari.addDataSourceProperty("useLocalSessionState", "true");
        hikari.addDataSourceProperty("useLocalTransactionState", "true");
        hikari.addDataSourceProperty("cachePrepStmts", "true");
        hikari.addDataSourceProperty("useServerPrepStmts", "false");
        hikari.addDataSourceProperty("prepStmtCacheSize", "250");
        hikari.addDataSourceProperty("connectTimeout", "10000");
        hikari.addDataSourceProperty("socketTimeout", "60000");
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource);
            return new Database(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new DatabaseException("could not open the database at " + config.url() + ": "
                    + Redaction.secrets(rootMessage(e), java.util.List.of(config.password())), e);
        }
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .connectRetries(5)
                .load()
                .migrate();
    }

    /** Registers a MyBatis mapper interface (annotation-based). Idempotent. */
    public synchronized Database addMapper(Class<?> mapper) {
        if (!sessions.getConfiguration().hasMapper(mapper)) {
            sessions.getConfiguration().addMapper(mapper);
        }
        return this;
    }

    /** A new session with auto-commit off; the caller commits and closes it. */
    public SqlSession openSession() {
        return sessions.openSession(ExecutorType.SIMPLE, false);
    }

    /** A new batch session with auto-commit off, for bulk inserts. */
    public SqlSession openBatchSession() {
        return sessions.openSession(ExecutorType.BATCH, false);
    }

    /** Runs {@code work} with a mapper in its own short transaction, retrying deadlocks and lock wait timeouts. */
    public <M, T> T inTransaction(Class<M> mapperType, TransactionWork<M, T> work) {
        return Retries.onTransientSqlErrors(() -> {
            try (SqlSession session = openSession()) {
                T result = work.run(session.getMapper(mapperType));
                session.commit();
                return result;
            }
        });
    }

    /** The underlying pool, for tools that need plain JDBC (db-scheduler in the benchmark). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A plain connection from the pool (READ COMMITTED, UTC, autocommit off: commit what you write). */
    public Connection connection() throws java.sql.SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        dataSource.close();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** A unit of work in one transaction. */
    @FunctionalInterface
    public interface TransactionWork<M, T> {
        /** Does the work with the transaction's mapper. */
        T run(M mapper);
    }
}
