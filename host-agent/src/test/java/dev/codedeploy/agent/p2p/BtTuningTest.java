package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bt intervals the agent shortens are still where it expects them in this bt, and are shortened. */
class BtTuningTest {

    private static Duration read(String className, String field) throws Exception {
        Field f = Class.forName(className).getDeclaredField(field);
        f.setAccessible(true);
        return (Duration) f.get(null);
    }

    @Test
    void chokingAndAssignmentIntervalsAreShortened() throws Exception {
        BtTuning.apply();
        assertThat(read("bt.torrent.messaging.Choker", "CHOKING_THRESHOLD")).isEqualTo(Duration.ofMillis(500));
        assertThat(read("bt.torrent.messaging.TorrentWorker", "UPDATE_ASSIGNMENTS_OPTIONAL_INTERVAL")).isEqualTo(Duration.ofMillis(250));
        assertThat(read("bt.torrent.messaging.TorrentWorker", "UPDATE_ASSIGNMENTS_MANDATORY_INTERVAL")).isEqualTo(Duration.ofSeconds(1));
    }
}
