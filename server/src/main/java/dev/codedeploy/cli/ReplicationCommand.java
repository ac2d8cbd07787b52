package dev.codedeploy.cli;

import picocli.CommandLine.Command;

/** {@code codedeploy replication}: run the replicator, show where builds stand, override the deploy gate. */
@Command(name = "replication", mixinStandardHelpOptions = true,
        description = "Replicate builds to the regions, show replication status, override the deploy gate.",
        subcommands = {ReplicatorRunCommand.class, ReplicationStatusCommand.class, GateOverrideCommand.class})
final class ReplicationCommand {
}
