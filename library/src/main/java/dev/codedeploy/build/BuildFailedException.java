package dev.codedeploy.build;

import dev.codedeploy.CodeDeployException;

/**
 * The build cannot succeed as asked (bad spec, failing command, timeout, missing output, unknown commit): the job
 * becomes FAILED with this message, and trying again would not help.
 */
public class BuildFailedException extends CodeDeployException {

    /** A failure whose message names the problem. */
    public BuildFailedException(String message) {
        super(message);
    }

    /** A failure with its cause. */
    public BuildFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
