package dev.codedeploy.agent.install;

import dev.codedeploy.CodeDeployException;

/** A release does not fit on the disk; nothing was changed, the current release keeps running. */
public class DiskSpaceException extends CodeDeployException {

    /** The message says what was needed and what was free where. */
    public DiskSpaceException(String message) {
        super(message);
    }
}
