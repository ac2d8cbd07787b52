package dev.codedeploy.database;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.ibatis.exceptions.PersistenceException;

/**
 * Retries a short transaction that lost a deadlock (1213), waited too long for a lock (1205) or met MariaDB's
 * snapshot-isolation conflict (1020). Anything else is rethrown at once.
 */
public final class Retries {

    static final int MAX_TRIES = 5;

    private Retries() {
    }

    /** Runs {@code work}, retrying transient errors with a short jittered backoff. */
    public static <T> T onTransientSqlErrors(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (PersistenceException e) {
                if (attempt >= MAX_TRIES || !isTransient(e)) {
                    throw new DatabaseException(Database.rootMessage(e), e);
                }
                pause(attempt);
            }
        }
    }

    /** True for deadlock, lock wait timeout and snapshot-isolation conflicts. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                int code = sql.getErrorCode();
                if (code == 1213 || code == 1205 || code == 1020 || "40001".equals(sql.getSQLState())) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        long millis = ThreadLocalRandom.current().nextLong(1, 5L << attempt);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while retrying a transaction", e);
        }
    }
}
