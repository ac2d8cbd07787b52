package dev.codedeploy.agent;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.agent.health.CommandRunner;
import dev.codedeploy.agent.health.HealthCheck;
import dev.codedeploy.agent.health.HealthChecker;
import dev.codedeploy.agent.health.HookEnvironment;
import dev.codedeploy.agent.report.AgentMetrics;
import dev.codedeploy.agent.install.AgentState;
import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.agent.report.StatusReporter;
import dev.codedeploy.release.DeploySpec;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeyring;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches the host to an installed release: the {@code beforeActivate} hook (a failure leaves {@code current}
 * untouched), the switch of {@code current} (journaled in the state first, so that a crash is finished after the
 * restart), the {@code afterActivate} hook, and the health check. A failure after the switch switches back to the
 * previous release and runs its {@code afterActivate} hook again, so that it serves as before.
 *
 * <p>Hooks and checks get the agent variables {@link HookEnvironment} allows (never its secrets) and
 * {@code CODEDEPLOY_ENVIRONMENT}, {@code CODEDEPLOY_HOST}, {@code CODEDEPLOY_BUILD_ID},
 * {@code CODEDEPLOY_SHA}, {@code CODEDEPLOY_RELEASE_DIR}, {@code CODEDEPLOY_CURRENT} and (when there is one)
 * {@code CODEDEPLOY_PREVIOUS_BUILD_ID}; their output goes to {@code logs/<build>-<step>.log}.
 */
final class Activation {

    private static final Logger LOG = LoggerFactory.getLogger(Activation.class);

    private final ReleaseStore store;
    private final StatusReporter reporter;
    private final String host;
    private final ReleaseKeyring keys;
    private final HookEnvironment hookEnvironment;
    private final AgentMetrics metrics;

    Activation(ReleaseStore store, StatusReporter reporter, String host, ReleaseKeyring keys, HookEnvironment hookEnvironment,
               AgentMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.reporter = reporter;
        this.host = host;
        this.keys = keys;
        this.hookEnvironment = hookEnvironment;
    }

    /** Activates the installed {@code release} and returns the new state (saved). */
    AgentState activate(Release release, AgentState state) {
        long build = release.buildId();
        Long from = boxed(store.current());
        DeploySpec spec;
        try {
            spec = DeploySpec.parse(release.deploy());
        } catch (InvalidInputException e) {
            return fail(state, release, from, "its deploy spec is invalid: " + e.getMessage() + "; current build " + from + " untouched");
        }
        reporter.report(HostState.SWITCHING, from, build, release.version(), null, null);
        List<String> before = spec.hooks().beforeActivate();
        if (!before.isEmpty()) {
            CommandRunner.Outcome outcome = CommandRunner.run(before, store.releaseDir(build), environment(release, from),
                    spec.hooks().timeout(), log(build, "beforeActivate"));
            if (!outcome.succeeded()) {
                return fail(state, release, from, "beforeActivate hook " + outcome.describe() + "; current build " + from + " untouched");
            }
        }
        state = state.withActivating(new AgentState.Activation(build, from));
        store.saveState(state);
        store.switchTo(build);
        LOG.info("current -> build {} (was {})", build, from);
        return confirm(release, state, spec, true);
    }

    /**
     * Decides a switch whose outcome is not known (a crash during it, or no record of its health check): runs the
     * health check, and switches back on failure.
     */
    AgentState confirm(Release release, AgentState state) {
        DeploySpec spec;
        try {
            spec = DeploySpec.parse(release.deploy());
        } catch (InvalidInputException e) {
            return rollBack(state, release, previousOf(state), "its deploy spec is invalid: " + e.getMessage());
        }
        LOG.info("build {} is current but its health was never confirmed: checking it now", release.buildId());
        reporter.report(HostState.SWITCHING, release.buildId(), release.buildId(), release.version(), null, null);
        return confirm(release, state, spec, false);
    }

    private AgentState confirm(Release release, AgentState state, DeploySpec spec, boolean runAfterHook) {
        long build = release.buildId();
        Long from = previousOf(state);
        Path folder = store.releaseDir(build);
        List<String> after = spec.hooks().afterActivate();
        if (runAfterHook && !after.isEmpty()) {
            CommandRunner.Outcome outcome = CommandRunner.run(after, folder, environment(release, from), spec.hooks().timeout(),
                    log(build, "afterActivate"));
            if (!outcome.succeeded()) {
                return rollBack(state, release, from, "afterActivate hook " + outcome.describe());
            }
        }
        if (spec.healthCheck() != null) {
            DeploySpec.HealthCheck check = spec.healthCheck();
            HealthCheck.Result result = HealthChecker.run(HealthChecker.of(check, folder, environment(release, from), log(build, "health")),
                    check.attempts(), check.interval(), "build " + build);
            metrics.healthCheck(result.healthy());
            if (!result.healthy()) {
                return rollBack(state, release, from, "health check failed: " + result.detail());
            }
        }
        state = state.healthy(build);
        store.saveState(state);
        reporter.report(HostState.HEALTHY, build, build, release.version(), null, null);
        return state;
    }

    private Long previousOf(AgentState state) {
        if (state.activating() != null) {
            return state.activating().from();
        }
        return boxed(store.previous());
    }

    private AgentState rollBack(AgentState state, Release release, Long from, String error) {
        long build = release.buildId();
        if (from == null || from == build || !store.isInstalled(from)) {
            AgentState failed = state.failed(build, HostState.FAILED, error + "; there is no previous release to go back to");
            store.saveState(failed);
            reporter.report(HostState.FAILED, build, build, release.version(), null, failed.failedBuilds().get(build).error());
            return failed;
        }
        store.switchTo(from);
        LOG.warn("current -> build {} again: build {} {}", from, build, error);
        Optional<Release> previous = store.readReleaseRecord(from, keys);
        previous.ifPresent(this::restart);
        String message = error + "; switched back to build " + from;
        AgentState failed = state.failed(build, HostState.ROLLED_BACK, message);
        store.saveState(failed);
        reporter.report(HostState.ROLLED_BACK, from, build, release.version(), null, message);
        return failed;
    }

    /** Runs the previous release's {@code afterActivate} hook again, so that it serves as before the failed switch. */
    private void restart(Release previous) {
        try {
            List<String> after = DeploySpec.parse(previous.deploy()).hooks().afterActivate();
            if (!after.isEmpty()) {
                CommandRunner.Outcome outcome = CommandRunner.run(after, store.releaseDir(previous.buildId()), environment(previous, null),
                        DeploySpec.parse(previous.deploy()).hooks().timeout(), log(previous.buildId(), "afterActivate"));
                if (!outcome.succeeded()) {
                    LOG.error("the afterActivate hook of build {} failed after the rollback: {}", previous.buildId(), outcome.describe());
                }
            }
        } catch (InvalidInputException e) {
            LOG.error("the deploy spec of build {} is invalid: {}", previous.buildId(), e.getMessage());
        }
    }

    private AgentState fail(AgentState state, Release release, Long current, String error) {
        AgentState failed = state.failed(release.buildId(), HostState.FAILED, error);
        store.saveState(failed);
        reporter.report(HostState.FAILED, current, release.buildId(), release.version(), null, error);
        return failed;
    }

    /** The whole environment of a hook or check: allowed agent variables, then the {@code CODEDEPLOY_*} ones. */
    private Map<String, String> environment(Release release, Long previous) {
        Map<String, String> env = new LinkedHashMap<>(hookEnvironment.fromProcess());
        env.put("CODEDEPLOY_ENVIRONMENT", release.environment());
        env.put("CODEDEPLOY_HOST", host);
        env.put("CODEDEPLOY_BUILD_ID", Long.toString(release.buildId()));
        env.put("CODEDEPLOY_SHA", release.sha());
        env.put("CODEDEPLOY_RELEASE_DIR", store.releaseDir(release.buildId()).toString());
        env.put("CODEDEPLOY_CURRENT", store.currentLink().toString());
        if (previous != null) {
            env.put("CODEDEPLOY_PREVIOUS_BUILD_ID", previous.toString());
        }
        return env;
    }

    private Path log(long build, String step) {
        return store.logs().resolve(build + "-" + step + ".log");
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
