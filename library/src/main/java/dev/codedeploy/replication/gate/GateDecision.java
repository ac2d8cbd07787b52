package dev.codedeploy.replication.gate;

import java.util.Set;

/**
 * What the deploy gate says about one build for one environment.
 *
 * @param buildId     the build
 * @param environment the environment
 * @param completed   the configured regions holding a verified copy
 * @param missing     the configured regions that do not
 * @param deployable  every configured region holds it
 * @param override    a recorded quorum override that still holds (enabled, and the quorum still met), or null
 */
public record GateDecision(long buildId, String environment, Set<String> completed, Set<String> missing, boolean deployable,
                           GateOverride override) {

    /** True when the build may be deployed: every region has it, or an override lets it through. */
    public boolean allowed() {
        return deployable || override != null;
    }

    /** One line for logs and the CLI. */
    public String describe() {
        if (deployable) {
            return "build " + buildId + " is in every region " + completed;
        }
        String base = "build " + buildId + " is missing from " + missing + " (in " + completed + ")";
        return override == null ? base + ": not deployable"
                : base + ": deployable to " + environment + " by the override of " + override.actor() + " (" + override.reason() + ")";
    }
}
