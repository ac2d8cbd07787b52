package dev.codedeploy.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildSpecParserTest {

    private final BuildSpecParser parser = new BuildSpecParser(Duration.ofMinutes(30), Duration.ofHours(1));

    @Test
    void readsAFullSpec() {
        BuildSpec spec = parser.parse("""
                build:
                  command: [./gradlew, --no-daemon, "dist tar"]
                  output: build/dist
                  timeout: 20m
                  env: {GRADLE_OPTS: -Xmx1g, RETRIES: 3}
                deploy:
                  healthCheck: {url: "http://localhost:8080/health"}
                """);
        assertThat(spec.command()).containsExactly("./gradlew", "--no-daemon", "dist tar");
        assertThat(spec.output()).isEqualTo("build/dist");
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(spec.environment()).containsEntry("GRADLE_OPTS", "-Xmx1g").containsEntry("RETRIES", "3");
        assertThat(spec.deploy().path("healthCheck").path("url").asText()).isEqualTo("http://localhost:8080/health");
    }

    @Test
    void aStringCommandIsSplitOnQuotesWithoutAShell() {
        BuildSpec spec = parser.parse("build: {command: \"make 'dist all' VERSION=\\\"1 2\\\" $HOME\", output: out}");
        assertThat(spec.command()).containsExactly("make", "dist all", "VERSION=1 2", "$HOME");
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void everyMistakeNamesItsField() {
        List<String[]> cases = List.of(
                new String[] {"build: {output: out}", "build.command is missing"},
                new String[] {"build: {command: [], output: out}", "build.command is empty"},
                new String[] {"build: {command: [make]}", "build.output is missing"},
                new String[] {"build: {command: [make], output: /abs}", "must be a relative path"},
                new String[] {"build: {command: [make], output: o, timeout: 3h}", "at most 1h"},
                new String[] {"build: {command: [make], output: o, timeout: soon}", "not a duration"},
                new String[] {"build: {command: [make], output: o, env: {1BAD: x}}", "not a valid variable name"},
                new String[] {"build: {command: [make], output: o}\nextra: 1", "unknown field 'extra'"},
                new String[] {"build: {command: \"make 'oops\", output: o}", "unclosed"},
                new String[] {"- a list", "must be a mapping"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> parser.parse(c[0])).as(c[0]).isInstanceOf(BuildFailedException.class).hasMessageContaining(c[1]);
        }
    }

    @Test
    void aBadDeploySectionFailsTheBuildNamingTheField() {
        List<String[]> cases = List.of(
                new String[] {"deploy: {hooks: {beforeActivate: bin/migrate}}", "deploy.hooks.beforeActivate must be a non-empty list"},
                new String[] {"deploy: {healthCheck: {url: ftp://x/health}}", "deploy.healthCheck.url"},
                new String[] {"deploy: {healthCheck: {command: [a], retries: 1000}}", "deploy.healthCheck.retries"},
                new String[] {"deploy: {hooks: {afterActivate: [a]}, rollout: fast}", "unknown field 'deploy.rollout'"},
                new String[] {"deploy: [a, b]", "deploy must be a mapping"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> parser.parse("build: {command: [make], output: o}\n" + c[0])).as(c[0])
                    .isInstanceOf(BuildFailedException.class).hasMessageContaining(".codedeploy.yml").hasMessageContaining(c[1]);
        }
    }

    @Test
    void aliasesAndAnchorsAreRefusedRatherThanReadAsTheAnchorsName() {
        assertThatThrownBy(() -> parser.parse("""
                build:
                  command: [make, dist]
                  output: &out dist
                deploy:
                  hooks: {afterActivate: [*out]}
                """)).isInstanceOf(BuildFailedException.class).hasMessageContaining("line 5").hasMessageContaining("alias *out")
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> parser.parse("""
                build:
                  command: &cmd [make, dist]
                  output: *cmd
                """)).isInstanceOf(BuildFailedException.class).hasMessageContaining("&cmd").hasMessageContaining("not supported");
    }
}
