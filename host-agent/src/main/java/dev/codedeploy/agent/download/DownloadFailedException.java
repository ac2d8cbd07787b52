package dev.codedeploy.agent.download;

import dev.codedeploy.CodeDeployException;

/** An artifact could not be fetched; the agent tries again after its retry interval. */
public class DownloadFailedException extends CodeDeployException {

    /** What failed. */
    public DownloadFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
