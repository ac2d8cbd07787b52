package dev.codedeploy.rollout;

import dev.codedeploy.build.BuildManifest;
import dev.codedeploy.queue.Job;

/**
 * A COMPLETED build and its manifest: everything a release record says about the build.
 *
 * @param job      the job row
 * @param manifest its manifest from the master blob store
 */
public record DeployableBuild(Job job, BuildManifest manifest) {
}
