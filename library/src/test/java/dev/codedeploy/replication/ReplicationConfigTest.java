package dev.codedeploy.replication;

import dev.codedeploy.replication.gate.GateOverrideConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicationConfigTest {

    private static final String BASE = """
            database: {url: "jdbc:mysql://127.0.0.1:3306/codedeploy"}
            blobStore: {endpoint: "http://127.0.0.1:9000", bucket: master}
            """;

    @Test
    void defaultsWhenTheSectionIsMissing() {
        ReplicationConfig c = ConfigLoader.parse(BASE, "test.yml").replication();
        assertThat(c.enabled()).isTrue();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxParallelCopies()).isEqualTo(8);
        assertThat(c.keepPerEnvironment()).isEqualTo(10);
        assertThat(c.gateOverride().enabled()).isFalse();
        assertThat(c.retention().enabled()).isFalse();
        assertThat(c.retention().keepDeployedWithin()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void readsEveryField() {
        CodeDeployConfig config = ConfigLoader.parse(BASE + """
                replication:
                  enabled: false
                  pollInterval: 500ms
                  heartbeatInterval: 5s
                  maxParallelCopies: 10
                  maxCopiesPerRegion: 3
                  retryBackoff: 1s
                  maxRetryBackoff: 1m
                  lookback: 1d
                  masterScanInterval: 0s
                  auditInterval: 1h
                  auditBatch: 2
                  keepPerEnvironment: 5
                  gateOverride: {enabled: true, quorum: 4}
                  retention: {enabled: true, keepDeployedWithin: 14d, keepNewerThan: 2h, interval: 30m, maxPerPass: 50}
                """, "test.yml");
        ReplicationConfig c = config.replication();
        assertThat(c.enabled()).isFalse();
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.maxCopiesPerRegion()).isEqualTo(3);
        assertThat(c.masterScanInterval()).isZero();
        assertThat(c.gateOverride()).isEqualTo(new GateOverrideConfig(true, 4));
        assertThat(c.retention().keepDeployedWithin()).isEqualTo(Duration.ofDays(14));
        assertThat(c.retention().maxPerPass()).isEqualTo(50);
    }

    @Test
    void badValuesNameTheField() {
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "replication: {heartbeatInterval: 0s}\n", "test.yml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("replication.heartbeatInterval must be positive");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "replication: {retryBackoff: 1m, maxRetryBackoff: 1s}\n", "test.yml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxRetryBackoff");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "replication: {copies: 3}\n", "test.yml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown field 'replication.copies'");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "replication: {gateOverride: {quorum: -2}}\n", "test.yml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("quorum");
    }
}
