package dev.codedeploy.client;

import java.time.Instant;

/**
 * One row of an environment's audit history: a publish, wave change, pause, resume, rollback, lock or override.
 *
 * @param id             increasing
 * @param environment    the environment
 * @param buildId        the build concerned, or null
 * @param releaseVersion the release version written, or null
 * @param action         what happened, for example PUBLISH or WAVE_OPENED
 * @param detail         a sentence for people
 * @param actor          who asked (a token's name, or {@code rollout-driver})
 * @param at             when
 */
public record AuditEntry(long id, String environment, Long buildId, Long releaseVersion, String action, String detail, String actor,
                         Instant at) {
}
