package dev.codedeploy.replication.gate;

import dev.codedeploy.replication.ReplicaStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.database.Database;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.StoredArtifact;
import dev.codedeploy.rollout.DeploymentAction;
import dev.codedeploy.rollout.DeploymentLog;
import dev.codedeploy.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeployGateTest {

    private static final Set<String> REGIONS = Set.of("a", "b", "c", "d", "e");

    private Database database;
    private JobQueue queue;
    private int shas;

    @BeforeEach
    void setUp() {
        database = TestServers.newDatabase(4);
        queue = new JobQueue(database, QueueConfig.DEFAULTS);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private Job completedBuild() {
        String sha = String.format("%040x", ++shas);
        queue.enqueue("git://127.0.0.1:1/app", sha, "test");
        Job job = queue.claim("w").orElseThrow();
        String prefix = "builds/" + sha + "/" + job.id() + "/1/";
        queue.complete(job.lease(), new StoredArtifact(prefix + "artifact", 1, "0".repeat(64), prefix + "artifact.torrent",
                prefix + "manifest.json", prefix + "build.log"));
        return job;
    }

    private void replica(Job job, String region, ReplicaStatus status) {
        sql("INSERT INTO build_replicas (job_id, region, status) VALUES (?, ?, ?)", job.id(), region, status.name());
    }

    private void sql(String statement, Object... args) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String table) {
        try (Connection c = database.connection(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deployableOnlyWhenEveryConfiguredRegionIsCompleted() {
        Job job = completedBuild();
        DeployGate gate = new DeployGate(database, REGIONS);
        assertThat(gate.isDeployable(job.id())).isFalse();
        for (String region : Set.of("a", "b", "c", "d")) {
            replica(job, region, ReplicaStatus.COMPLETED);
        }
        replica(job, "e", ReplicaStatus.FAILED);
        assertThat(gate.isDeployable(job.id())).isFalse();
        assertThat(gate.replicas(job.id())).containsEntry("e", ReplicaStatus.FAILED).containsEntry("a", ReplicaStatus.COMPLETED);
        sql("UPDATE build_replicas SET status = 'COMPLETED' WHERE job_id = ? AND region = 'e'", job.id());
        assertThat(gate.isDeployable(job.id())).isTrue();
        assertThat(gate.decide(job.id(), "production").allowed()).isTrue();

        // a region outside the configuration does not count; a configured region without a row is missing
        DeployGate sixRegions = new DeployGate(database, Set.of("a", "b", "c", "d", "e", "f"));
        assertThat(sixRegions.isDeployable(job.id())).isFalse();
        assertThat(sixRegions.decide(job.id(), "production").missing()).containsExactly("f");
        assertThat(new DeployGate(database, Set.of()).isDeployable(job.id())).as("no region configured").isFalse();
    }

    @Test
    void removedReplicasCloseTheGate() {
        Job job = completedBuild();
        REGIONS.forEach(r -> replica(job, r, ReplicaStatus.COMPLETED));
        sql("UPDATE build_replicas SET status = 'REMOVED' WHERE job_id = ? AND region = 'c'", job.id());
        assertThat(new DeployGate(database, REGIONS).isDeployable(job.id())).isFalse();
    }

    @Test
    void overrideIsOffByDefaultAndRecordsNothing() {
        Job job = completedBuild();
        Set.of("a", "b", "c", "d").forEach(r -> replica(job, r, ReplicaStatus.COMPLETED));
        DeployGate gate = new DeployGate(database, REGIONS);
        assertThatThrownBy(() -> gate.override(job.id(), "production", "alice", "region e is down for hours"))
                .isInstanceOf(GateOverrideRefusedException.class).hasMessageContaining("override of the deploy gate is off");
        assertThat(gate.decide(job.id(), "production").allowed()).isFalse();
        assertThat(count("gate_overrides")).isZero();
        assertThat(count("deployments")).isZero();
    }

    @Test
    void overrideNeedsAQuorumAndIsRecordedWithWhoAndWhy() {
        Job job = completedBuild();
        replica(job, "a", ReplicaStatus.COMPLETED);
        replica(job, "b", ReplicaStatus.COMPLETED);
        replica(job, "c", ReplicaStatus.FAILED);
        DeployGate gate = new DeployGate(database, REGIONS, new GateOverrideConfig(true, 0));

        assertThatThrownBy(() -> gate.override(job.id(), "production", "alice", "hotfix"))
                .isInstanceOf(GateOverrideRefusedException.class).hasMessageContaining("2 of 5 regions").hasMessageContaining("quorum of 3");
        assertThat(count("gate_overrides")).isZero();

        sql("UPDATE build_replicas SET status = 'COMPLETED' WHERE job_id = ? AND region = 'c'", job.id());
        GateOverride recorded = gate.override(job.id(), "production", "alice", "hotfix for the payment outage; e is down");
        assertThat(recorded.actor()).isEqualTo("alice");
        assertThat(recorded.reason()).isEqualTo("hotfix for the payment outage; e is down");
        assertThat(recorded.quorum()).isEqualTo(3);
        assertThat(recorded.regionsCompleted()).isEqualTo("a,b,c");
        assertThat(recorded.regionsMissing()).isEqualTo("d,e");
        assertThat(recorded.createdAt()).isNotNull();

        GateDecision production = gate.decide(job.id(), "production");
        assertThat(production.allowed()).isTrue();
        assertThat(production.deployable()).isFalse();
        assertThat(production.override().id()).isEqualTo(recorded.id());
        assertThat(production.describe()).contains("override of alice");
        assertThat(gate.decide(job.id(), "staging").allowed()).as("an override is for one environment").isFalse();
        assertThat(gate.isDeployable(job.id())).as("isDeployable never counts overrides").isFalse();
        assertThat(count("deployments")).isEqualTo(1);
        assertThat(new DeploymentLog(database).recent("production", 10)).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(DeploymentAction.GATE_OVERRIDE);
            assertThat(d.actor()).isEqualTo("alice");
            assertThat(d.detail()).contains("hotfix for the payment outage");
        });

        // the override only holds while the quorum does
        sql("UPDATE build_replicas SET status = 'FAILED' WHERE job_id = ? AND region IN ('b', 'c')", job.id());
        assertThat(gate.decide(job.id(), "production").allowed()).isFalse();
    }

    @Test
    void badOverrideInputIsRejectedAndNothingIsStored() {
        Job job = completedBuild();
        REGIONS.forEach(r -> replica(job, r, ReplicaStatus.COMPLETED));
        DeployGate gate = new DeployGate(database, REGIONS, new GateOverrideConfig(true, 2));
        assertThatThrownBy(() -> gate.override(job.id(), "production", "alice", " ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> gate.override(job.id(), "production", "", "why")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("actor");
        assertThatThrownBy(() -> gate.override(job.id(), "Prod!", "alice", "why")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("environment");
        assertThatThrownBy(() -> gate.override(999, "production", "alice", "why")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no such build");
        assertThat(count("gate_overrides")).isZero();
        assertThat(count("deployments")).isZero();
    }

    @Test
    void quorumIsAMajorityUnlessConfigured() {
        assertThat(new GateOverrideConfig(true, 0).quorumOf(5)).isEqualTo(3);
        assertThat(new GateOverrideConfig(true, 0).quorumOf(4)).isEqualTo(3);
        assertThat(new GateOverrideConfig(true, 4).quorumOf(5)).isEqualTo(4);
        assertThat(new GateOverrideConfig(true, 9).quorumOf(5)).isEqualTo(5);
        assertThatThrownBy(() -> new GateOverrideConfig(true, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
