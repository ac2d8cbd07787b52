package dev.codedeploy.database;

/** The database could not be reached, migrated or queried. */
public class DatabaseException extends dev.codedeploy.CodeDeployException {

    /** A failure with its cause. */
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
