package dev.codedeploy.ghaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the inputs from the environment action.yml sets, and the runner's own variables. */
class ActionInputsTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private static Map<String, String> runner() {
        Map<String, String> env = new HashMap<>();
        env.put("GITHUB_SERVER_URL", "https://github.com");
        env.put("GITHUB_API_URL", "https://api.github.com");
        env.put("GITHUB_REPOSITORY", "shop/app");
        env.put("GITHUB_RUN_ID", "77");
        env.put("GITHUB_ACTOR", "octocat");
        env.put(ActionInputs.SHA, SHA);
        env.put(ActionInputs.SERVER_URL, "https://codedeploy.example.com");
        env.put(ActionInputs.TOKEN, "cd_deployToken42");
        return env;
    }

    @Test
    void defaultsComeFromTheRunner() {
        Map<String, String> env = runner();
        env.put(ActionInputs.GITHUB_TOKEN, "ghs_token");
        // what action.yml passes for inputs left at their empty defaults
        env.put(ActionInputs.REPOSITORY_URL, "");
        env.put(ActionInputs.ENVIRONMENT_URL, "");

        ActionInputs inputs = ActionInputs.read(env);

        assertThat(inputs.environment()).isEqualTo("production");
        assertThat(inputs.waitForRollout()).isTrue();
        assertThat(inputs.cancelBuildOnStop()).isFalse();
        assertThat(inputs.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(inputs.repoUrl()).isEqualTo("https://github.com/shop/app.git");
        assertThat(inputs.environmentUrl()).isNull();
        assertThat(inputs.requestedBy()).isEqualTo("github shop/app run 77 by octocat");
        assertThat(inputs.github().repository()).isEqualTo("shop/app");
        assertThat(inputs.github().apiUrl()).isEqualTo("https://api.github.com");
        assertThat(inputs.github().logUrl()).isEqualTo("https://github.com/shop/app/actions/runs/77");
        assertThat(inputs.github().toString()).doesNotContain("ghs_token");
        assertThat(inputs.serverUrl()).hasToString("https://codedeploy.example.com");
        assertThat(inputs.token()).isEqualTo("cd_deployToken42");
        assertThat(inputs.toString()).doesNotContain("cd_deployToken42").doesNotContain("ghs_token");
    }

    @Test
    void givenInputsWin() {
        Map<String, String> env = runner();
        env.put(ActionInputs.SHA, " " + SHA.toUpperCase() + " ");
        env.put(ActionInputs.ENVIRONMENT, "staging");
        env.put(ActionInputs.WAIT_FOR_ROLLOUT, "FALSE");
        env.put(ActionInputs.TIMEOUT_MINUTES, "45");
        env.put(ActionInputs.CANCEL_BUILD_ON_STOP, "true");
        env.put(ActionInputs.REPOSITORY_URL, "git@git.example.com:shop/app.git");
        env.put(ActionInputs.ENVIRONMENT_URL, "https://staging.example.com");

        ActionInputs inputs = ActionInputs.read(env);

        assertThat(inputs.sha()).isEqualTo(SHA);
        assertThat(inputs.environment()).isEqualTo("staging");
        assertThat(inputs.waitForRollout()).isFalse();
        assertThat(inputs.timeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(inputs.cancelBuildOnStop()).isTrue();
        assertThat(inputs.repoUrl()).isEqualTo("git@git.example.com:shop/app.git");
        assertThat(inputs.environmentUrl()).isEqualTo("https://staging.example.com");
        assertThat(inputs.github()).as("no token, no statuses").isNull();
    }

    @Test
    void everyBadInputIsReportedNamingItAndWhatIsAccepted() {
        Map<String, String> env = runner();
        env.put(ActionInputs.SHA, "abc123");
        env.put(ActionInputs.SERVER_URL, "codedeploy.example.com");
        env.put(ActionInputs.TOKEN, "two words");
        env.put(ActionInputs.TIMEOUT_MINUTES, "2000");
        env.put(ActionInputs.CANCEL_BUILD_ON_STOP, "1");
        env.put(ActionInputs.REPOSITORY_URL, "--upload-pack=evil");
        env.put(ActionInputs.ENVIRONMENT_URL, "staging.example.com");

        assertThatThrownBy(() -> ActionInputs.read(env))
                .isInstanceOf(BadInputException.class)
                .satisfies(e -> assertThat(e.getMessage().split("\n")).containsExactly(
                        "input 'sha': sha 'abc123' is not a commit SHA: expected exactly 40 hex digits (0-9, a-f), got 6 characters;"
                                + " branch names and short SHAs are not accepted",
                        "input 'server-url' is 'codedeploy.example.com': expected an http:// or https:// URL",
                        "input 'token' has spaces or characters that cannot go in an HTTP header: give the token alone",
                        "input 'timeout-minutes' is '2000': expected a whole number of minutes from 1 to 1440",
                        "input 'cancel-build-on-stop' is '1': expected true or false",
                        "input 'repository-url': repository URL '--upload-pack=evil' starts with '-': not a URL",
                        "input 'environment-url' is 'staging.example.com': expected an http:// or https:// URL"))
                .hasMessageNotContaining("two words");
    }

    @Test
    void withoutARepositoryUrlOrARunnerRepositoryItSaysWhatToGive() {
        Map<String, String> env = new HashMap<>();
        env.put(ActionInputs.SHA, SHA);
        env.put(ActionInputs.SERVER_URL, "https://codedeploy.example.com");
        env.put(ActionInputs.TOKEN, "cd_deployToken42");

        assertThatThrownBy(() -> ActionInputs.read(env))
                .hasMessage("input 'repository-url' is missing and GITHUB_SERVER_URL/GITHUB_REPOSITORY are not set:"
                        + " give the git URL the builders fetch, for example https://github.com/owner/repo.git");
    }

    @Test
    void aTokenNeedsTheRepository() {
        Map<String, String> env = runner();
        env.remove("GITHUB_REPOSITORY");
        env.put(ActionInputs.REPOSITORY_URL, "https://git.example.com/shop/app.git");
        env.put(ActionInputs.GITHUB_TOKEN, "ghs_token");

        assertThatThrownBy(() -> ActionInputs.read(env))
                .hasMessageStartingWith("input 'github-token': GITHUB_REPOSITORY is not set")
                .hasMessageNotContaining("ghs_token");
    }
}
