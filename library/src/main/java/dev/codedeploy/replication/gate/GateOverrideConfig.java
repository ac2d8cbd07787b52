package dev.codedeploy.replication.gate;

/**
 * The quorum override of the deploy gate: when enabled, an operator may deploy a build that a quorum of regions
 * holds, naming themselves and a reason, which are recorded. Off by default.
 *
 * @param enabled whether {@link DeployGate#override} is allowed at all
 * @param quorum  regions that must hold the build; zero means a majority of the configured regions
 */
public record GateOverrideConfig(boolean enabled, int quorum) {

    /** No override. */
    public static final GateOverrideConfig OFF = new GateOverrideConfig(false, 0);

    public GateOverrideConfig {
        if (quorum < 0) {
            throw new IllegalArgumentException("replication.gateOverride.quorum must be zero (a majority) or positive, got " + quorum);
        }
    }

    /** The regions needed out of {@code regions}: the configured quorum (at most all of them), or a majority. */
    public int quorumOf(int regions) {
        return quorum == 0 ? regions / 2 + 1 : Math.min(quorum, regions);
    }
}
