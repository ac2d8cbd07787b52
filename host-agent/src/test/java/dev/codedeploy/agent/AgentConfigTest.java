package dev.codedeploy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.release.ReleaseKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

    private static final String KEY = ReleaseKeys.encode(ReleaseKeys.generate().getPublic());

    private static String yaml(String extra) {
        return """
                hostId: web-1
                environment: production
                region: eu-west
                dataDir: /var/lib/codedeploy
                releasePublicKey: %s
                zooKeeper: {connectString: "zk:2181"}
                hostPassword: secret
                blobStore: {endpoint: "http://s3:9000", bucket: builds-eu, accessKey: a, secretKey: b, pathStyle: true}
                %s
                """.formatted(KEY, extra);
    }

    @Test
    void readsTheFileWithDefaults() {
        AgentConfig config = ConfigLoader.parse(yaml("bt: {port: 7000, seedAfter: 2m}\nretryInterval: 5s\nzone: eu-west-1a"), "agent.yml",
                AgentConfig.class);
        assertThat(config.hostId()).isEqualTo("web-1");
        assertThat(config.distribution()).isEqualTo(AgentConfig.Distribution.P2P);
        assertThat(config.bt().port()).isEqualTo(7000);
        assertThat(config.bt().seedAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.bt().peerDiscoveryInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.install().keepReleases()).isEqualTo(3);
        assertThat(config.retryInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.progressInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.zone()).isEqualTo("eu-west-1a");
        assertThat(config.rack()).isNull();
        assertThat(config.hostCredentials().user()).isEqualTo("web-1");
        assertThat(config.toString()).doesNotContain("secret");
        AgentConfig overridden = config.withOverrides("web-2", java.nio.file.Path.of("/data"), "10.0.0.2", 7001);
        assertThat(overridden.hostId()).isEqualTo("web-2");
        assertThat(overridden.zone()).isEqualTo("eu-west-1a");
        assertThat(overridden.dataDir()).isEqualTo("/data");
        assertThat(overridden.bt().address()).isEqualTo("10.0.0.2");
        assertThat(overridden.bt().port()).isEqualTo(7001);
        assertThat(ConfigLoader.parse(yaml("distribution: BLOB"), "agent.yml", AgentConfig.class).distribution())
                .isEqualTo(AgentConfig.Distribution.BLOB);
    }

    @Test
    void refusesBadFieldsNamingThem() {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("distribution: carrier-pigeon"), "agent.yml", AgentConfig.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("p2p or blob");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("bt: {port: 70000}"), "agent.yml", AgentConfig.class))
                .hasMessageContaining("bt.port");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("seeds: 3"), "agent.yml", AgentConfig.class))
                .hasMessageContaining("unknown field 'seeds'");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("").replace(KEY, "bm90IGEga2V5"), "agent.yml", AgentConfig.class))
                .hasMessageContaining("Ed25519");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("").replace("hostId: web-1", "hostId: 'web/1'"), "agent.yml", AgentConfig.class))
                .hasMessageContaining("host id");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("zone: 'a b'"), "agent.yml", AgentConfig.class)).hasMessageContaining("zone 'a b'");
    }

    @Test
    void theSharedIdentityOfThePreviousLayoutAloneIsRefusedWithTheWayToEnroll() {
        String shared = yaml("").replace("zooKeeper: {connectString: \"zk:2181\"}", "zooKeeper: {connectString: \"zk:2181\", user: agent, password: s}");
        // during an upgrade: both identities
        assertThat(ConfigLoader.parse(shared, "agent.yml", AgentConfig.class).zooKeeper().user()).isEqualTo("agent");
        assertThatThrownBy(() -> ConfigLoader.parse(shared.replace("hostPassword: secret", ""), "agent.yml", AgentConfig.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hostPassword is required")
                .hasMessageContaining("codedeploy hosts enroll web-1");
    }

    @Test
    void releaseKeysByIdForRotationAndTheSecurityDefaults() {
        String next = ReleaseKeys.encode(ReleaseKeys.generate().getPublic());
        AgentConfig config = ConfigLoader.parse(yaml("releasePublicKeys: {control-2026: %s, control-2027: %s}\nmaxReleaseAge: 6h\nhookEnvironment: [HTTP_PROXY]"
                .formatted(KEY, next)).replace("releasePublicKey: " + KEY + "\n", ""), "agent.yml", AgentConfig.class);
        assertThat(config.keyring().toString()).contains("control-2026", "control-2027");
        assertThat(config.maxReleaseAge()).isEqualTo(Duration.ofHours(6));
        assertThat(config.hookEnvironment()).containsExactly("HTTP_PROXY");
        assertThat(ConfigLoader.parse(yaml(""), "agent.yml", AgentConfig.class).maxReleaseAge()).isEqualTo(Duration.ofDays(1));
        assertThat(ConfigLoader.parse(yaml(""), "agent.yml", AgentConfig.class).install().maxEntries()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("releasePublicKeys: {control-2027: %s}".formatted(next)), "agent.yml", AgentConfig.class))
                .hasMessageContaining("give exactly one of them");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml("hookEnvironment: ['A B']"), "agent.yml", AgentConfig.class))
                .hasMessageContaining("hookEnvironment");
    }
}
