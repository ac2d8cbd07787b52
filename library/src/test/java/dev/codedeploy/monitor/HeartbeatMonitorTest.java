package dev.codedeploy.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.database.Database;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class HeartbeatMonitorTest {

    @Test
    void severalMonitorsRequeueASilentJobOnceAndLeaveABeatingOneAlone() {
        try (Database database = TestServers.newDatabase(6)) {
            JobQueue queue = new JobQueue(database, QueueConfig.DEFAULTS);
            Job silent = queue.enqueue("git://h/r", "1".repeat(40), "t");
            Job beating = queue.enqueue("git://h/r", "2".repeat(40), "t");
            Job silentClaim = queue.claim("w-silent").orElseThrow();
            Job beatingClaim = queue.claim("w-beating").orElseThrow();
            assertThat(silentClaim.id()).isEqualTo(silent.id());
            List<HeartbeatMonitor> monitors = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HeartbeatMonitor m = new HeartbeatMonitor(queue, Duration.ofMillis(300), Duration.ofMillis(100));
                m.start();
                monitors.add(m);
            }
            try {
                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    queue.heartbeat(beatingClaim.lease());
                    return queue.find(silent.id()).orElseThrow().status() == JobStatus.QUEUED;
                });
                Job requeued = queue.find(silent.id()).orElseThrow();
                assertThat(requeued.attempt()).isEqualTo(1);
                assertThat(requeued.error()).contains("w-silent");
                assertThat(queue.find(beating.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
            } finally {
                monitors.forEach(HeartbeatMonitor::close);
            }
            assertThat(monitors.get(0).state()).isEqualTo(dev.codedeploy.lifecycle.Service.State.CLOSED);
            assertThatThrownBy(monitors.get(0)::start).isInstanceOf(IllegalStateException.class);
        }
    }
}
