package dev.codedeploy;

/** A build or deploy did not finish within its timeout; {@link #lastKnown()} says where it was. */
public class DeployTimeoutException extends CodeDeployException {

    private final transient DeployResult lastKnown;

    /** A timeout, with the state when the wait gave up. */
    public DeployTimeoutException(String message, DeployResult lastKnown) {
        super(message);
        this.lastKnown = lastKnown;
    }

    /** Where the deploy was when the wait gave up. */
    public DeployResult lastKnown() {
        return lastKnown;
    }
}
