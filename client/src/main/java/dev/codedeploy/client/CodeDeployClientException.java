package dev.codedeploy.client;

/** The server could not be reached, or answered with something that is not the API's. */
public class CodeDeployClientException extends RuntimeException {

    /** An error with its message. */
    public CodeDeployClientException(String message) {
        super(message);
    }

    /** An error with its message and cause. */
    public CodeDeployClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
