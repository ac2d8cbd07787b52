package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BlobTooLargeException;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.build.BuildManifest;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.replication.gate.DeployGate;

/** Finds what a release record needs to know about a build, and refuses builds that may not be deployed. */
final class BuildLookup {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BuildLookup.class);

    private final JobQueue jobs;
    private final BlobStore master;
    private final DeployGate gate;

    BuildLookup(JobQueue jobs, BlobStore master, DeployGate gate) {
        this.jobs = jobs;
        this.master = master;
        this.gate = gate;
    }

    /**
     * A build that may be published to {@code environment}: COMPLETED, with its manifest, and verified in every region
     * (or let through by a recorded quorum override).
     *
     * @throws InvalidInputException naming the build and why it cannot be published
     */
    DeployableBuild deployable(long buildId, String environment) {
        DeployableBuild build = completed(buildId);
        if (!gate.decide(buildId, environment).allowed()) {
            throw new InvalidInputException("build " + buildId + " is not deployable yet: its regional copies are "
                    + gate.replicas(buildId) + "; it can be published once every region holds a verified copy (COMPLETED)");
        }
        return build;
    }

    /**
     * A COMPLETED build with its manifest, deployable or not (a rollback target: its hosts still have it on disk).
     *
     * @throws InvalidInputException naming the build and what is wrong with it
     */
    DeployableBuild completed(long buildId) {
        Job job = jobs.find(buildId).orElseThrow(() ->
                new InvalidInputException("build " + buildId + " is unknown: no job has that id"));
        if (job.status() != JobStatus.COMPLETED) {
            throw new InvalidInputException("build " + buildId + " is " + job.status() + ": only a COMPLETED build can be published");
        }
        if (job.artifactKey() == null || job.manifestKey() == null || job.torrentKey() == null || job.artifactSize() == null
                || job.artifactSha256() == null) {
            throw new InvalidInputException("build " + buildId + " is COMPLETED but records no artifact, torrent or manifest key");
        }
        byte[] bytes;
        try {
            bytes = master.getBytes(job.manifestKey(), BuildManifest.MAX_BYTES);
        } catch (BlobNotFoundException e) {
            throw new InvalidInputException("build " + buildId + " has no manifest in the master blob store: " + e.getMessage());
        } catch (BlobTooLargeException e) {
            throw new InvalidInputException("build " + buildId + " cannot be published: " + e.getMessage());
        }
        // whoever can write the master bucket must not choose what hosts run: the manifest must be the one the build
        // stored (its hooks and health check become part of the signed release)
        if (job.manifestSha256() != null && !job.manifestSha256().equals(FileDigest.sha256(bytes))) {
            throw new InvalidInputException("the manifest " + job.manifestKey() + " is not the one build " + buildId + " stored: its sha256 is "
                    + FileDigest.sha256(bytes) + " but the build recorded " + job.manifestSha256() + " when it completed. It was changed in the"
                    + " master blob store after the build; nothing was published. Build the commit again to publish it");
        }
        BuildManifest manifest = BuildManifest.fromJson(bytes, job.manifestKey());
        if (job.deployDigest() != null && !job.deployDigest().equals(manifest.deployDigest())) {
            throw new InvalidInputException("the deploy spec in " + job.manifestKey() + " is not the one build " + buildId
                    + " recorded when it completed; nothing was published");
        }
        if (job.manifestSha256() == null) {
            LOG.warn("build {} completed before manifests were recorded: its manifest {} is published unchecked", buildId, job.manifestKey());
        }
        if (manifest.jobId() != buildId || !manifest.sha256().equals(job.artifactSha256()) || manifest.size() != job.artifactSize()) {
            throw new InvalidInputException("the manifest " + job.manifestKey() + " describes job " + manifest.jobId() + " with sha256 "
                    + manifest.sha256() + ", which is not what build " + buildId + " recorded (" + job.artifactSha256() + ")");
        }
        return new DeployableBuild(job, manifest);
    }
}
