package dev.codedeploy.client;

import java.time.Instant;

/**
 * One line of a deploy's history: a state change or progress within a state. Ids increase across all deploys, so
 * a follower that reconnects asks for the events after the last id it saw.
 *
 * @param id       the event id (the SSE id)
 * @param deployId the deploy
 * @param at       when, on the server's database clock
 * @param state    the deploy's state
 * @param stage    the stage its time counts in (QUEUED and BUILDING split the BUILDING state), null once final
 * @param message  what happened, for a log line
 * @param fraction progress within the state, 0 to 1, or null when unknown
 */
public record DeployEvent(long id, long deployId, Instant at, DeployState state, StageTiming.Stage stage, String message, Double fraction) {
}
