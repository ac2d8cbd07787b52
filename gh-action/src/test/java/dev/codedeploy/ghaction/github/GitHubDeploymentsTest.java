package dev.codedeploy.ghaction.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.testing.EmbeddedGitHub;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deployments client against GitHub's REST API on loopback: what it sends, and its errors. */
class GitHubDeploymentsTest {

    private static final String TOKEN = "ghs_test0123456789abcdefTOKEN";
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String LOG_URL = "https://github.com/shop/app/actions/runs/42";

    private static EmbeddedGitHub github;

    @BeforeAll
    static void startGitHub() {
        github = EmbeddedGitHub.start(TOKEN, "shop/app");
    }

    @AfterAll
    static void stopGitHub() {
        github.close();
    }

    @BeforeEach
    void reset() {
        github.reset();
    }

    @Test
    void createsADeploymentOfTheShaAndPostsEachStatusWithItsUrls() {
        GitHubDeployments client = GitHubDeployments.connect(github.apiUrl(), TOKEN);

        GitHubDeployment deployment = client.create("shop/app", SHA.toUpperCase(), "staging", "codedeploy of " + SHA,
                LOG_URL, "https://staging.shop.example");
        deployment.post(DeploymentState.QUEUED, "build queued");
        deployment.post(DeploymentState.IN_PROGRESS, "building");
        deployment.post(DeploymentState.SUCCESS, "deployed");

        assertThat(github.requests()).containsExactly(
                "GET /repos/shop/app",
                "POST /repos/shop/app/deployments",
                "POST /repos/shop/app/deployments/" + deployment.id() + "/statuses",
                "POST /repos/shop/app/deployments/" + deployment.id() + "/statuses",
                "POST /repos/shop/app/deployments/" + deployment.id() + "/statuses");
        EmbeddedGitHub.Deployment created = github.deployments().get(0);
        assertThat(created.id()).isEqualTo(deployment.id());
        assertThat(created.ref()).isEqualTo(SHA);
        assertThat(created.environment()).isEqualTo("staging");
        assertThat(created.body().path("auto_merge").asBoolean(true)).isFalse();
        assertThat(created.body().path("required_contexts").isArray()).isTrue();
        assertThat(created.body().path("required_contexts").size()).isZero();
        assertThat(github.statuses(deployment.id())).extracting(EmbeddedGitHub.Status::state)
                .containsExactly("queued", "in_progress", "success");
        assertThat(github.statuses(deployment.id())).extracting(EmbeddedGitHub.Status::description)
                .containsExactly("build queued", "building", "deployed");
        assertThat(github.statuses(deployment.id())).allSatisfy(s -> {
            assertThat(s.logUrl()).isEqualTo(LOG_URL);
            assertThat(s.environmentUrl()).isEqualTo("https://staging.shop.example");
        });
    }

    @Test
    void aLongDescriptionIsCutToWhatGitHubKeeps() {
        GitHubDeployment deployment = GitHubDeployments.connect(github.apiUrl(), TOKEN)
                .create("shop/app", SHA, "production", "x".repeat(300), null, null);
        deployment.post(DeploymentState.FAILURE, "y".repeat(500));

        assertThat(github.deployments().get(0).body().path("description").asText()).hasSize(140);
        EmbeddedGitHub.Status status = github.statuses(deployment.id()).get(0);
        assertThat(status.description()).hasSize(140).endsWith("…");
        assertThat(status.body().has("log_url")).isFalse();
    }

    @Test
    void aBadTokenIsNamedWithoutShowingIt() {
        String wrong = "ghp_wrongTokenValue987654321";
        GitHubDeployments client = GitHubDeployments.connect(github.apiUrl(), wrong);

        assertThatThrownBy(() -> client.create("shop/app", SHA, "staging", "d", null, null))
                .isInstanceOf(GitHubException.class)
                .hasMessageContaining("rejected the token")
                .hasMessageContaining("401 Bad credentials")
                .hasMessageContaining("deployments: write")
                .hasMessageNotContaining(wrong)
                .satisfies(e -> assertThat(((GitHubException) e).statusCode()).isEqualTo(401));
        assertThat(github.deployments()).isEmpty();
    }

    @Test
    void anUnknownRepositoryIsNamed() {
        GitHubDeployments client = GitHubDeployments.connect(github.apiUrl(), TOKEN);

        assertThatThrownBy(() -> client.create("shop/nothing", SHA, "staging", "d", null, null))
                .isInstanceOf(GitHubException.class)
                .hasMessageContaining("repository shop/nothing was not found at " + github.apiUrl())
                .hasMessageNotContaining(TOKEN);
        assertThat(github.requests()).containsExactly("GET /repos/shop/nothing");
    }

    @Test
    void aMissingPermissionSaysWhichOne() {
        github.refuse("POST", "/repos/shop/app/deployments", 403, "Resource not accessible by integration");
        GitHubDeployments client = GitHubDeployments.connect(github.apiUrl(), TOKEN);

        assertThatThrownBy(() -> client.create("shop/app", SHA, "staging", "d", null, null))
                .isInstanceOf(GitHubException.class)
                .hasMessageContaining("403 Resource not accessible by integration")
                .hasMessageContaining("permissions: deployments: write");
    }

    @Test
    void aRefusedStatusNamesGitHubsReason() {
        GitHubDeployment deployment = GitHubDeployments.connect(github.apiUrl(), TOKEN)
                .create("shop/app", SHA, "staging", "d", null, null);
        github.refuse("POST", ".*/statuses", 422, "No ref found for: " + SHA);

        assertThatThrownBy(() -> deployment.post(DeploymentState.QUEUED, "queued"))
                .isInstanceOf(GitHubException.class)
                .hasMessageContaining("posting the status queued of deployment " + deployment.id())
                .hasMessageContaining("422 No ref found for: " + SHA);
    }

    @Test
    void anUnreachableGitHubIsNamed() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GitHubDeployments client = GitHubDeployments.connect("http://127.0.0.1:" + port, TOKEN);

        assertThatThrownBy(() -> client.create("shop/app", SHA, "staging", "d", null, null))
                .isInstanceOf(GitHubException.class)
                .hasMessageStartingWith("cannot reach GitHub at http://127.0.0.1:" + port)
                .satisfies(e -> assertThat(((GitHubException) e).statusCode()).isEqualTo(-1));
    }

    @Test
    void badInputsAreRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> GitHubDeployments.connect(github.apiUrl(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token is empty");
        assertThatThrownBy(() -> GitHubDeployments.connect("ftp://example.com", TOKEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GitHub API URL 'ftp://example.com' is not valid");
        GitHubDeployments client = GitHubDeployments.connect(github.apiUrl(), TOKEN);
        assertThatThrownBy(() -> client.create("shop", SHA, "staging", "d", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected owner/name");
        assertThatThrownBy(() -> client.create("shop/app", "main", "staging", "d", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'main'");
        assertThatThrownBy(() -> client.create("shop/app", SHA, " ", "d", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("environment is empty");
        assertThat(github.requests()).isEmpty();
    }
}
