package dev.codedeploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeys;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutConfigTest {

    private static final String BASE = """
            database: {url: "jdbc:mysql://db:3306/codedeploy"}
            blobStore: {endpoint: "http://s3:9000", bucket: "builds"}
            """;

    @Test
    void theRolloutSectionIsReadWithItsDefaults() {
        KeyPair keys = ReleaseKeys.generate();
        String yaml = BASE + """
                rollout:
                  signingKey: %s
                  publicKey: %s
                  keyId: control-2026
                  agentUser: agent
                  agentPassword: secret
                  pollInterval: 10s
                  environments:
                    production: {waves: [5, 25, 100], bakeTime: 5m, maxUnavailable: 20}
                """.formatted(ReleaseKeys.encode(keys.getPrivate()), ReleaseKeys.encode(keys.getPublic()));
        RolloutConfig rollout = ConfigLoader.parse(yaml, "test.yml").rollout();
        assertThat(rollout.keyId()).isEqualTo("control-2026");
        assertThat(rollout.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(rollout.checkInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(rollout.agents().user()).isEqualTo("agent");
        RolloutPolicy production = rollout.policy("production");
        assertThat(production.bakeTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(production.healthyThreshold()).isEqualTo(0.95);
        assertThat(production.steps(null)).containsExactly(5, 25, 44, 63, 81, 100);
        assertThat(rollout.policy("staging")).isEqualTo(RolloutPolicy.DEFAULTS);
        assertThat(RolloutPolicy.DEFAULTS.steps(null)).isEqualTo(Release.DEFAULT_WAVES);
        assertThat(rollout.toString()).doesNotContain("secret").doesNotContain(rollout.signingKey());
    }

    @Test
    void aConfigurationWithoutRolloutGetsTheDefaults() {
        CodeDeployConfig config = ConfigLoader.parse(BASE, "test.yml");
        assertThat(config.rollout()).isEqualTo(RolloutConfig.DEFAULTS);
        assertThat(config.rollout().privateKey()).isNull();
        assertThatThrownBy(() -> config.rollout().verifyKey()).hasMessageContaining("rollout.publicKey is not configured");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "rollout: {signingKey: nope}", "test.yml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rollout.signingKey");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "rollout: {environments: {production: {waves: [50, 10]}}}", "test.yml"))
                .hasMessageContaining("ascending");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "rollout: {environments: {production: {maxUnavailable: 0}}}", "test.yml"))
                .hasMessageContaining("maxUnavailable");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "rollout: {environments: {Prod: {bakeTime: 1m}}}", "test.yml"))
                .hasMessageContaining("environment 'Prod' is not valid");
        assertThatThrownBy(() -> ConfigLoader.parse(BASE + "rollout: {environments: {prod: {bake: 1m}}}", "test.yml"))
                .hasMessageContaining("unknown field").hasMessageContaining("bakeTime");
        assertThatThrownBy(() -> new RolloutPolicy(List.of(100), 1.5, null, null, null, null)).hasMessageContaining("healthyThreshold");
    }
}
