package dev.codedeploy.ghaction;

/** An input of the action is bad: the message names it and says what it accepts. Nothing was requested. */
final class BadInputException extends RuntimeException {

    BadInputException(String message) {
        super(message);
    }
}
