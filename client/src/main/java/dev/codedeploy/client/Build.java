package dev.codedeploy.client;

import java.time.Instant;
import java.util.List;

/**
 * A COMPLETED build and its copy in each region.
 *
 * @param id             the build id (its job's id)
 * @param sha            the commit
 * @param repository     the repository
 * @param finishedAt     when it was stored
 * @param artifactSize   bytes
 * @param artifactSha256 sha256
 * @param deployable     every region holds a verified copy
 * @param replicas       one per region the replicator knows
 */
public record Build(long id, String sha, String repository, Instant finishedAt, Long artifactSize, String artifactSha256,
                   boolean deployable, List<BuildReplica> replicas) {

    public Build {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }
}
