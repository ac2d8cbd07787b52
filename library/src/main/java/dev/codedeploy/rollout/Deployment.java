package dev.codedeploy.rollout;

import java.time.Instant;

/**
 * One row of the {@code deployments} audit table.
 *
 * @param id             row id, increasing
 * @param environment    the environment
 * @param jobId          the build concerned, or null (locks)
 * @param releaseVersion the release record version written, or null
 * @param action         what happened
 * @param detail         a sentence for people
 * @param actor          who asked ({@code rollout-driver} for the driver's own steps)
 * @param createdAt      when, on the database clock
 */
public record Deployment(long id, String environment, Long jobId, Long releaseVersion, DeploymentAction action,
                         String detail, String actor, Instant createdAt) {
}
