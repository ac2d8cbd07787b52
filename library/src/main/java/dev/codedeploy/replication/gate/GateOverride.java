package dev.codedeploy.replication.gate;

import java.time.Instant;

/**
 * One recorded use of the quorum override of the deploy gate ({@code gate_overrides}).
 *
 * @param id               its id
 * @param jobId            the build let through
 * @param environment      the environment it may be deployed to
 * @param actor            who used the override
 * @param reason           why
 * @param quorum           the regions required then
 * @param regionsCompleted the regions that held the build then, comma-separated
 * @param regionsMissing   the regions that did not, comma-separated
 * @param createdAt        when, by the database clock
 */
public record GateOverride(long id, long jobId, String environment, String actor, String reason, int quorum,
                           String regionsCompleted, String regionsMissing, Instant createdAt) {
}
