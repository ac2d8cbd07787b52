package dev.codedeploy.deploys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming.Stage;
import dev.codedeploy.deploys.DeployStore.Event;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.rollout.PublishOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;

/** A conductor that takes a deploy to a stage the way a real one would, then stops renewing its lease (it died). */
final class DeadConductor {

    /** Where it stopped. */
    enum DiedAt { REQUESTED, BUILDING, REPLICATING, PUBLISHING, PUBLISHED_IN_ZOOKEEPER_AND_AUDIT, PUBLISHED_IN_ZOOKEEPER_ONLY, ROLLING_OUT }

    private DeadConductor() {
    }

    static void takeTo(DeploysWorld world, DeployStore store, DeployLease lease, Deploy deploy, DiedAt diedAt) throws Exception {
        if (diedAt == DiedAt.REQUESTED) {
            world.deployableBuild(deploy.sha());
            return;
        }
        if (diedAt == DiedAt.BUILDING) {
            Job job = new JobQueue(world.database, QueueConfig.DEFAULTS).enqueue(DeploysWorld.REPO, deploy.sha(), "alice");
            store.change(lease, DeployState.REQUESTED, DeployChange.to(DeployState.BUILDING).job(job.id(), true),
                    new Event(Stage.QUEUED, "queued build job " + job.id(), null));
            return;
        }
        long build = world.deployableBuild(deploy.sha());
        store.change(lease, DeployState.REQUESTED, DeployChange.to(DeployState.REPLICATING).job(build, false),
                new Event(Stage.REPLICATING, "reusing build " + build, null));
        if (diedAt == DiedAt.REPLICATING) {
            return;
        }
        assertThat(store.enterPublishing(lease, deploy.environment(), new Event(Stage.PUBLISHING, "publishing", null))).isNull();
        if (diedAt == DiedAt.PUBLISHING) {
            return;
        }
        long version = world.plane.publish(deploy.environment(), build, "alice", PublishOptions.forDeploy(deploy.id())).release().version();
        if (diedAt == DiedAt.PUBLISHED_IN_ZOOKEEPER_ONLY) {
            // the audit row's transaction never committed
            try (Connection c = world.database.connection();
                 PreparedStatement delete = c.prepareStatement("DELETE FROM deployments WHERE deploy_id = ?")) {
                delete.setLong(1, deploy.id());
                assertThat(delete.executeUpdate()).isEqualTo(1);
                c.commit();
            }
        }
        if (diedAt == DiedAt.ROLLING_OUT) {
            store.change(lease, DeployState.PUBLISHING, DeployChange.to(DeployState.ROLLING_OUT).releaseVersion(version),
                    new Event(Stage.ROLLING_OUT, "published version " + version, null));
        }
    }
}
