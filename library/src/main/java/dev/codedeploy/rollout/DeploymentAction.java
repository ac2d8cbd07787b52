package dev.codedeploy.rollout;

/** What an audit row of {@code deployments} records. */
public enum DeploymentAction {
    /** A build was published to the environment. */
    PUBLISH,
    /** A build was published over a deploy lock or freeze window (the reason is in the detail). */
    PUBLISH_FORCED,
    /** The driver opened the next wave. */
    WAVE_OPENED,
    /** An operator paused the rollout. */
    PAUSE,
    /** An operator resumed it. */
    RESUME,
    /** An operator rolled the environment back to its previous release. */
    ROLLBACK,
    /** The driver rolled it back because too many hosts failed or a wave timed out. */
    AUTO_ROLLBACK,
    /** Every wave was open and healthy for its bake time: the rollout is done. */
    COMPLETED,
    /** The hosts are back on the previous release after a rollback. */
    ROLLBACK_COMPLETED,
    /** The rollout failed and there was no previous release to go back to; it is paused. */
    FAILED,
    /** A deploy lock was taken. */
    LOCK,
    /** A deploy lock or freeze was released. */
    UNLOCK,
    /** A freeze window was set. */
    FREEZE,
    /** The deploy gate was overridden for a build that only a quorum of regions holds (who and why in the detail). */
    GATE_OVERRIDE
}
