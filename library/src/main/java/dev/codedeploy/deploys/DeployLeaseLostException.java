package dev.codedeploy.deploys;

import dev.codedeploy.CodeDeployException;

/** A conductor's write matched no row: another conductor took the deploy, or it changed state meanwhile. */
final class DeployLeaseLostException extends CodeDeployException {

    DeployLeaseLostException(DeployLease lease, String what) {
        super("deploy " + lease.deployId() + ": " + what + " refused, attempt " + lease.attempt() + " of " + lease.conductor()
                + " no longer holds it (another conductor took it over, or it ended)");
    }
}
