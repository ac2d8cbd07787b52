package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;

/** Checks the names of who asks, as they go into records and the audit. */
final class Actors {

    /** The driver's name in the audit and the records. */
    static final String DRIVER = "rollout-driver";

    private static final int MAX = 255;

    private Actors() {
    }

    /**
     * @throws InvalidInputException when {@code actor} is blank, too long or has control characters
     */
    static String check(String actor) {
        if (actor == null || actor.isBlank()) {
            throw new InvalidInputException("actor is missing: name the user or job that asks");
        }
        String trimmed = actor.trim();
        if (trimmed.length() > MAX || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("actor must be at most " + MAX + " printable characters");
        }
        return trimmed;
    }

    /** A reason for the audit: optional, one line, bounded. */
    static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String oneLine = reason.trim().replaceAll("\\p{Cntrl}+", " ");
        return oneLine.length() <= 1000 ? oneLine : oneLine.substring(0, 997) + "...";
    }
}
