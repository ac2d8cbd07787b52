package dev.codedeploy.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A deploy as the server records it: what was asked, by whom, where it is, and how it went.
 *
 * @param id              the deploy id
 * @param environment     the environment
 * @param sha             the commit
 * @param repository      the repository
 * @param requestedBy     the name of the token that asked
 * @param reason          why, as the requester said, or null
 * @param state           where it is
 * @param jobId           the build job it uses (its id is the build id), once known
 * @param releaseVersion  the version of the release record it published, once published
 * @param supersededBy    the newer deploy that superseded it, or null
 * @param cancelRequested someone asked to cancel it; the conductor acts on it at its next step
 * @param timedOut        it failed because its deadline passed
 * @param error           why it failed, was cancelled or superseded, or null
 * @param message         the newest progress line
 * @param createdAt       when it was requested
 * @param updatedAt       when its row last changed
 * @param deadline        when it fails if not finished
 * @param finishedAt      when it reached a final state, or null
 * @param artifactSha256  the build's sha256, once built
 * @param artifactSize    the build's size in bytes, once built
 * @param timings         the stages it went through so far, in order
 * @param regions         per region, its hosts against the build (empty before the rollout)
 * @param lastEventId     the id of its newest event: a follower attaching now resumes after it
 * @param conductor       the conductor (a server) that holds or last held it, or null before any took it
 */
public record Deploy(long id, String environment, String sha, String repository, String requestedBy, String reason,
                     DeployState state, Long jobId, Long releaseVersion, Long supersededBy, boolean cancelRequested,
                     boolean timedOut, String error, String message, Instant createdAt, Instant updatedAt, Instant deadline,
                     Instant finishedAt, String artifactSha256, Long artifactSize, List<StageTiming> timings,
                     List<RegionCounts> regions, long lastEventId, String conductor) {

    public Deploy {
        timings = timings == null ? List.of() : List.copyOf(timings);
        regions = regions == null ? List.of() : List.copyOf(regions);
    }

    /** True once it reached a final state. */
    public boolean isFinal() {
        return state.isFinal();
    }

    /** True when it SUCCEEDED. */
    public boolean succeeded() {
        return state == DeployState.SUCCEEDED;
    }

    /** The timing of {@code stage}, if the deploy went through it. */
    public Optional<StageTiming> timing(StageTiming.Stage stage) {
        return timings.stream().filter(t -> t.stage() == stage).findFirst();
    }
}
