package dev.codedeploy.rollout;

/**
 * Another writer changed the release record between our read and our compare-and-set write (two publishers at
 * once); our write was not made. The message names what the record holds now.
 */
public class ReleaseConflictException extends RolloutException {

    /** A conflict described by {@code message}. */
    public ReleaseConflictException(String message) {
        super(message);
    }
}
