package dev.codedeploy.replication;

import dev.codedeploy.blob.BuildKeys;
import java.time.Instant;

/**
 * A claimed copy with what it needs from the build's job.
 *
 * @param jobId          the build
 * @param region         the region to copy to
 * @param attempts       the row's attempts (the lease token)
 * @param owner          the replicator that claimed it
 * @param uploadId       a multipart upload of the artifact left by an earlier attempt, or null
 * @param sha            the commit
 * @param artifactKey    the artifact's key
 * @param artifactSize   its size
 * @param artifactSha256 its sha256
 * @param torrentKey     the .torrent's key
 * @param manifestKey    the manifest's key
 * @param finishedAt     when the build completed
 */
public record ReplicaWork(long jobId, String region, int attempts, String owner, String uploadId, String sha,
                          String artifactKey, Long artifactSize, String artifactSha256, String torrentKey,
                          String manifestKey, Instant finishedAt) {

    /** The lease of this claim. */
    public ReplicaLease lease() {
        return new ReplicaLease(jobId, region, attempts, owner);
    }

    /** The keys of the build's folder. */
    public BuildKeys keys() {
        return BuildKeys.ofArtifactKey(artifactKey);
    }
}
