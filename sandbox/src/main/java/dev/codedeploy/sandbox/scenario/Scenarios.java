package dev.codedeploy.sandbox.scenario;

import java.util.List;
import java.util.Optional;

/** Every scenario of the sandbox, by name. */
public final class Scenarios {

    private Scenarios() {
    }

    /** All scenarios, in the order {@code --list} shows them. */
    public static List<Scenario> all() {
        return List.of(
                new WorkerCrashScenario(),
                new ZombieWorkerScenario(),
                new BadInputScenario(),
                new ZkSessionExpiryScenario(),
                new UnauthorizedWriteScenario(),
                new ForgedHostStatusScenario(),
                new BadReleaseScenario(),
                new RegionOutageScenario(),
                new CorruptReplicaScenario(),
                // one line per scenario
                new CorruptDownloadScenario(),
                new AgentCrashMidDownloadScenario(),
                new FailedHealthRollbackScenario(),
                new DiskFullScenario(),
                new ClientKilledMidDeployScenario(),
                new ConductorFailoverScenario(),
                new DeployStormScenario(),
                new BadApiInputScenario(),
                new HostileBuildScenario(),
                new ForgedReleaseScenario(),
                new HostileArchiveScenario()
        );
    }

    /** The scenario called {@code name}. */
    public static Optional<Scenario> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
