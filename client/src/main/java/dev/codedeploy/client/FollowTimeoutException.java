package dev.codedeploy.client;

/** A follow gave up before the deploy ended; the deploy itself goes on, on the server. */
public class FollowTimeoutException extends CodeDeployClientException {

    private final transient Deploy lastKnown;

    /** A timeout, with the deploy as last read (null when the server could not be reached). */
    public FollowTimeoutException(String message, Deploy lastKnown) {
        super(message);
        this.lastKnown = lastKnown;
    }

    /** The deploy as last read, or null. */
    public Deploy lastKnown() {
        return lastKnown;
    }
}
