package dev.codedeploy.queue;

/**
 * Settings of the queue.
 *
 * @param maxAttempts claims a job gets before the monitor marks it FAILED (its workers keep dying)
 */
public record QueueConfig(int maxAttempts) {

    /** Three claims, as a build that kills three workers is more likely the problem than the workers. */
    public static final QueueConfig DEFAULTS = new QueueConfig(3);

    public QueueConfig {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("queue.maxAttempts must be 1 to 100, got " + maxAttempts);
        }
    }
}
