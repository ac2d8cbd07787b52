package dev.codedeploy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codedeploy.InvalidInputException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploySpecTest {

    private static DeploySpec parse(String yaml) throws Exception {
        return DeploySpec.parse(new YAMLMapper().readTree(yaml));
    }

    @Test
    void readsHooksAndACommandHealthCheck() throws Exception {
        DeploySpec spec = parse("""
                hooks:
                  beforeActivate: [bin/migrate, --check]
                  afterActivate: [bin/app, restart]
                  timeout: 2m
                healthCheck:
                  command: [bin/app, --health]
                  timeout: 5s
                  retries: 4
                  interval: 500ms
                """);
        assertThat(spec.hooks().beforeActivate()).containsExactly("bin/migrate", "--check");
        assertThat(spec.hooks().afterActivate()).containsExactly("bin/app", "restart");
        assertThat(spec.hooks().timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(spec.healthCheck().command()).containsExactly("bin/app", "--health");
        assertThat(spec.healthCheck().attempts()).isEqualTo(5);
        assertThat(spec.healthCheck().interval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void fillsDefaultsAndReadsAnHttpCheck() throws Exception {
        DeploySpec spec = parse("healthCheck: {url: 'http://127.0.0.1:8080/health'}");
        assertThat(spec.hooks().beforeActivate()).isEmpty();
        assertThat(spec.healthCheck().url()).isEqualTo(URI.create("http://127.0.0.1:8080/health"));
        assertThat(spec.healthCheck().command()).isEmpty();
        assertThat(spec.healthCheck().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.healthCheck().retries()).isEqualTo(3);
        assertThat(DeploySpec.parse(null)).isEqualTo(DeploySpec.NONE);
        // the sample repository's spec is accepted as it is
        assertThat(parse("healthCheck: {command: [bin/app, --health], timeout: 10s, retries: 3}").healthCheck().command())
                .isEqualTo(List.of("bin/app", "--health"));
    }

    @Test
    void refusesWhatItDoesNotUnderstandNamingTheField() {
        assertThatThrownBy(() -> parse("hooks: {beforeActivation: [x]}")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("deploy.hooks.beforeActivation").hasMessageContaining("deploy.hooks.beforeActivate");
        assertThatThrownBy(() -> parse("hooks: {afterActivate: 'bin/app restart'}")).hasMessageContaining("list of arguments");
        assertThatThrownBy(() -> parse("healthCheck: {command: [a], url: 'http://h/'}")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> parse("healthCheck: {timeout: 5s}")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> parse("healthCheck: {url: 'file:///etc/passwd'}")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> parse("healthCheck: {command: [a], retries: -1}")).hasMessageContaining("retries");
        assertThatThrownBy(() -> parse("healthCheck: {command: [a], timeout: soon}")).hasMessageContaining("deploy.healthCheck.timeout");
        assertThatThrownBy(() -> parse("[1, 2]")).hasMessageContaining("must be a mapping");
    }
}
