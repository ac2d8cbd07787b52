package dev.codedeploy.agent.install;

import dev.codedeploy.release.HostState;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the agent remembers across restarts beyond its links, in {@code state.json}.
 *
 * @param releaseVersion the newest release version the agent acted on (older records are ignored as replays)
 * @param healthyBuild   the build that last passed its health check after a switch, or null
 * @param activating     the switch in progress (written before {@code current} moves, cleared when it is decided),
 *                       or null: after a crash the agent finishes it
 * @param failedBuilds   builds whose activation failed here (a hook, the health check, a hostile archive): not tried
 *                       again while the release still names them
 */
public record AgentState(long releaseVersion, Long healthyBuild, Activation activating, Map<Long, Failure> failedBuilds) {

    /**
     * How a build failed here.
     *
     * @param state {@link HostState#FAILED} or {@link HostState#ROLLED_BACK}
     * @param error what happened
     */
    public record Failure(HostState state, String error) {
    }

    /**
     * A switch in progress.
     *
     * @param build the build being activated
     * @param from  the build {@code current} pointed at before, or null
     */
    public record Activation(long build, Long from) {
    }

    /** A fresh host. */
    public static final AgentState EMPTY = new AgentState(0, null, null, Map.of());

    public AgentState {
        failedBuilds = failedBuilds == null ? Map.of() : Map.copyOf(failedBuilds);
    }

    /** The same state having acted on {@code version}. */
    public AgentState withReleaseVersion(long version) {
        return new AgentState(Math.max(version, releaseVersion), healthyBuild, activating, failedBuilds);
    }

    /** The same state with a switch in progress (or none). */
    public AgentState withActivating(Activation activation) {
        return new AgentState(releaseVersion, healthyBuild, activation, failedBuilds);
    }

    /** {@code build} passed its health check; no switch in progress. */
    public AgentState healthy(long build) {
        return new AgentState(releaseVersion, build, null, failedBuilds);
    }

    /** {@code build} failed here; no switch in progress. */
    public AgentState failed(long build, HostState state, String error) {
        Map<Long, Failure> failed = new TreeMap<>(failedBuilds);
        failed.put(build, new Failure(state, error));
        return new AgentState(releaseVersion, healthyBuild, null, failed);
    }

    /** The failures of every build but {@code build} forgotten (the release moved on). */
    public AgentState forgetFailuresExcept(long build) {
        Map<Long, Failure> failed = new TreeMap<>();
        if (failedBuilds.containsKey(build)) {
            failed.put(build, failedBuilds.get(build));
        }
        return new AgentState(releaseVersion, healthyBuild, activating, failed);
    }
}
