package dev.codedeploy;

/** The base of every exception codedeploy throws on purpose. */
public class CodeDeployException extends RuntimeException {

    /** An error with its message. */
    public CodeDeployException(String message) {
        super(message);
    }

    /** An error with its message and cause. */
    public CodeDeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
