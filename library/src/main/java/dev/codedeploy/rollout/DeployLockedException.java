package dev.codedeploy.rollout;

import dev.codedeploy.CodeDeployException;

/** A publish met a deploy lock or freeze window, or a lock met another one; nothing was changed. */
public class DeployLockedException extends CodeDeployException {

    private final transient DeployLock lock;

    /** The environment and what holds it. */
    public DeployLockedException(String environment, DeployLock lock, String hint) {
        super(environment + " is " + lock.describe() + (hint == null ? "" : "; " + hint));
        this.lock = lock;
    }

    /** The lock or freeze that holds. */
    public DeployLock lock() {
        return lock;
    }
}
