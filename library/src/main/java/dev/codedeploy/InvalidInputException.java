package dev.codedeploy;

/**
 * Input from outside (a SHA, a repository URL, a configuration field, a payload) was rejected at the boundary.
 * The message names what was wrong and what is accepted; nothing was stored or changed.
 */
public class InvalidInputException extends CodeDeployException {

    /** A rejection whose message names the field, the value and what is accepted. */
    public InvalidInputException(String message) {
        super(message);
    }
}
