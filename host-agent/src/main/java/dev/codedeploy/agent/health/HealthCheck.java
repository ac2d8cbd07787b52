package dev.codedeploy.agent.health;

/** One attempt at deciding whether the switched release is healthy. */
public interface HealthCheck {

    /**
     * The answer of one attempt.
     *
     * @param healthy true when healthy
     * @param detail  what was seen, for the log and the host's error
     */
    record Result(boolean healthy, String detail) {
    }

    /** Runs one attempt; it does not throw, a failure is an unhealthy result. */
    Result attempt();

    /** What is checked, for messages. */
    String describe();
}
