package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.client.CodeDeployClient;
import hudson.AbortException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server URL and the token a step call uses: where each comes from, and what is said when one is missing. */
class ServerConnectionTest {

    private final List<String> systemLookups = new ArrayList<>();
    private final List<String> buildLookups = new ArrayList<>();
    private final CredentialSource system = (id, purpose) -> {
        systemLookups.add(id);
        return "system-" + id;
    };
    private final CredentialSource build = (id, purpose) -> {
        buildLookups.add(id);
        return "build-" + id;
    };
    private final CodeDeployGlobalConfiguration settings = CodeDeployGlobalConfiguration.get();

    @BeforeEach
    void configure() {
        settings.setServerUrl("https://codedeploy.example.com");
        settings.setCredentialsId("codedeploy-token");
        settings.setDefaultRepoUrl(null);
    }

    @Test
    void theGlobalTokenIsLookedUpAsTheSystem() throws AbortException {
        CodeDeployClient client = ServerConnection.open(settings, null, system, build);

        assertThat(client.server()).hasToString("https://codedeploy.example.com/");
        assertThat(systemLookups).containsExactly("codedeploy-token");
        assertThat(buildLookups).isEmpty();
    }

    @Test
    void aStepsOwnTokenIsLookedUpAsTheBuildAndTheGlobalOneIsNotTouched() throws AbortException {
        ServerConnection.open(settings, "team-token", system, build);

        assertThat(buildLookups).containsExactly("team-token");
        assertThat(systemLookups).isEmpty();
    }

    @Test
    void withoutAServerUrlTheStepSaysWhereToSetIt() {
        settings.setServerUrl(" ");

        assertThatThrownBy(() -> ServerConnection.open(settings, null, system, build)).isInstanceOf(AbortException.class)
                .hasMessage(ServerConnection.NOT_CONFIGURED);
    }

    @Test
    void aServerUrlThatIsNotHttpIsRefused() {
        settings.setServerUrl("codedeploy.example.com:8080");

        assertThatThrownBy(() -> ServerConnection.open(settings, null, system, build)).isInstanceOf(AbortException.class)
                .hasMessage("codeDeploy: the server URL 'codedeploy.example.com:8080' of the codedeploy global configuration is not an"
                        + " http:// or https:// URL, for example https://codedeploy.example.com");
    }

    @Test
    void withoutAnyTokenTheStepSaysWhereToSetIt() {
        settings.setCredentialsId(null);

        assertThatThrownBy(() -> ServerConnection.open(settings, null, system, build)).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("codeDeploy: no codedeploy token: set the token credentials under Manage Jenkins");
    }

    @Test
    void aTokenThatCannotGoInAHeaderIsRefusedWithoutBeingShown() {
        CredentialSource spaced = (id, purpose) -> "two words";

        assertThatThrownBy(() -> ServerConnection.open(settings, null, spaced, build)).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("codeDeploy: the codedeploy token is not usable: ").hasMessageNotContaining("two words");
    }
}
