package dev.codedeploy.deploys;

/**
 * A conductor's hold on a deploy: every write it makes carries {@code (deployId, attempt, conductor)} and matches no
 * row once another conductor claimed the deploy.
 *
 * @param deployId  the deploy
 * @param attempt   the fencing token given by the claim
 * @param conductor the holder
 */
record DeployLease(long deployId, int attempt, String conductor) {
}
