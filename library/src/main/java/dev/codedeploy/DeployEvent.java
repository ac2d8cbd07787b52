package dev.codedeploy;

import java.time.Instant;

/**
 * One progress line of a deploy: a stage change or progress within a stage.
 *
 * @param stage    the current stage
 * @param message  what happened, for a log line
 * @param fraction progress within the stage, 0 to 1, or null when unknown
 * @param at       when (this process's clock)
 */
public record DeployEvent(DeployStage stage, String message, Double fraction, Instant at) {
}
