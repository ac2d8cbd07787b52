package dev.codedeploy.release;

import dev.codedeploy.InvalidInputException;

/** A release record that is malformed, unsigned or wrongly signed: agents log it and ignore it. */
public class InvalidReleaseException extends InvalidInputException {

    /** Why it was refused. */
    public InvalidReleaseException(String message) {
        super(message);
    }
}
