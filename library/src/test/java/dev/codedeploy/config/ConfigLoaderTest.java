package dev.codedeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String VALID = """
            database: {url: "jdbc:mysql://127.0.0.1:3306/cd", user: cd, password: "${DB_PASSWORD:-secret}"}
            blobStore: {endpoint: "http://127.0.0.1:9000", bucket: master-bucket, accessKey: a, secretKey: b, pathStyle: true}
            build: {workers: 2, workDir: /var/lib/codedeploy, heartbeatInterval: 10s}
            regions:
              - {name: eu-west, blobStore: {endpoint: "http://127.0.0.1:9001", bucket: eu-bucket, accessKey: a, secretKey: b}}
            """;

    @Test
    void readsSectionsWithDefaultsAndEnvironmentSubstitution() {
        CodeDeployConfig config = ConfigLoader.parse(VALID, "test.yml");
        assertThat(config.database().password()).isEqualTo("secret");
        assertThat(config.build().heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.build().pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.queue().maxAttempts()).isEqualTo(3);
        assertThat(config.monitor().enabled()).isTrue();
        assertThat(config.regions()).extracting(RegionConfig::name).containsExactly("eu-west");
    }

    @Test
    void errorsNameTheFileAndTheField() {
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("heartbeatInterval: 10s", "heartbeatInterval: soon"), "test.yml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test.yml").hasMessageContaining("build.heartbeatInterval")
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("workers: 2", "workerz: 2"), "test.yml"))
                .hasMessageContaining("unknown field 'build.workerz'").hasMessageContaining("workers");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("master-bucket", "Bad_Bucket"), "test.yml"))
                .hasMessageContaining("blobStore").hasMessageContaining("not a valid S3 bucket name");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("jdbc:mysql", "jdbc:postgresql"), "test.yml"))
                .hasMessageContaining("database.url must start with jdbc:mysql://");
        assertThatThrownBy(() -> ConfigLoader.parse("build: {workers: 1, workDir: /x}", "test.yml"))
                .hasMessageContaining("section 'database' is missing");
        assertThatThrownBy(() -> ConfigLoader.parse(VALID.replace("eu-west", "EU West"), "test.yml"))
                .hasMessageContaining("region name 'EU West' is not valid");
    }

    @Test
    void substitutionRefusesUnsetVariablesAndKeepsEscapes() {
        assertThat(EnvironmentSubstitution.apply("a: ${X}, b: $${Y}", Map.of("X", "1"))).isEqualTo("a: 1, b: ${Y}");
        assertThatThrownBy(() -> EnvironmentSubstitution.apply("a: 1\nb: ${MISSING_VAR}", Map.of()))
                .hasMessageContaining("line 2").hasMessageContaining("MISSING_VAR is not set");
    }

    @Test
    void durationsReadAndWriteBackTheSame() {
        for (String text : new String[] {"500ms", "30s", "3m", "2h"}) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
        assertThat(Durations.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Durations.parse("3 minutes")).hasMessageContaining("not a duration");
    }
}
