package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.Waves;
import java.util.List;

/**
 * How to publish.
 *
 * @param force  publish over a deploy lock or freeze window
 * @param reason why (required with {@code force}; recorded in the audit)
 * @param waves    a wave plan for this release instead of the environment's, or null
 * @param deployId the deploy that publishes, or null: written into the record, and a publish that finds the record
 *                 already carrying it returns that record instead of writing again
 */
public record PublishOptions(boolean force, String reason, List<Integer> waves, Long deployId) {

    /** No force, the environment's waves. */
    public static final PublishOptions DEFAULTS = new PublishOptions(false, null, null, null);

    /**
     * @throws InvalidInputException when force has no reason or the waves are not a valid plan
     */
    public PublishOptions {
        if (force && (reason == null || reason.isBlank())) {
            throw new InvalidInputException("a forced publish needs a reason: say why the deploy lock or freeze may be overridden");
        }
        if (waves != null) {
            Waves.check(waves);
            waves = List.copyOf(waves);
        }
    }

    /** Options without a deploy (tools, tests). */
    public PublishOptions(boolean force, String reason, List<Integer> waves) {
        this(force, reason, waves, null);
    }

    /** Force over a lock or freeze, for {@code reason}. */
    public static PublishOptions forced(String reason) {
        return new PublishOptions(true, reason, null);
    }

    /** The publish of deploy {@code id}: at most once, whoever conducts it. */
    public static PublishOptions forDeploy(long id) {
        return new PublishOptions(false, null, null, id);
    }
}
