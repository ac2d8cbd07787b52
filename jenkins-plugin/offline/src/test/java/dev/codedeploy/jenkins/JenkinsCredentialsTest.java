package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.CredentialsScope;
import dev.codedeploy.jenkins.standins.StandInCredentials;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two scopes of the token lookup, through the credentials plugin's API (its stand-in keeps the real visibility:
 * System-scoped credentials are seen by the system, never by a build).
 */
class JenkinsCredentialsTest {

    private final Run<?, ?> run = new TestStepContext("team/app#1", new EnvVars()).run();

    @BeforeEach
    void addCredentials() {
        StandInCredentials.clear();
        StandInCredentials.add(StandInCredentials.secretText(CredentialsScope.SYSTEM, "system-token", "system-secret"));
        StandInCredentials.add(StandInCredentials.secretText(CredentialsScope.GLOBAL, "team-token", "team-secret\n"));
        StandInCredentials.add(StandInCredentials.usernamePassword(CredentialsScope.GLOBAL, "team-db", "team", "team-pass"));
    }

    @AfterEach
    void clear() {
        StandInCredentials.clear();
    }

    @Test
    void theGlobalConfigurationSeesSystemAndGlobalCredentials() throws AbortException {
        SystemCredentials system = new SystemCredentials();

        assertThat(system.token("system-token", "the codedeploy token")).isEqualTo("system-secret");
        assertThat(system.token("team-token", "the codedeploy token")).as("stripped of the pasted line break").isEqualTo("team-secret");
    }

    @Test
    void aBuildSeesGlobalCredentialsButNotTheSystemOnes() throws AbortException {
        RunCredentials build = new RunCredentials(run);

        assertThat(build.token("team-token", "the step's codedeploy token")).isEqualTo("team-secret");
        assertThatThrownBy(() -> build.token("system-token", "the step's codedeploy token")).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("codeDeploy: no 'Secret text' credentials with id 'system-token' (the step's codedeploy token)"
                        + " that this build may use");
    }

    @Test
    void onlySecretTextHoldsAToken() {
        assertThatThrownBy(() -> new SystemCredentials().token("team-db", "the codedeploy token")).isInstanceOf(AbortException.class)
                .hasMessageContaining("no 'Secret text' credentials with id 'team-db'");
    }

    @Test
    void aMissingIdSaysWhereToAddIt() {
        assertThatThrownBy(() -> new SystemCredentials().token("nowhere", "the codedeploy token of the global configuration"))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("'nowhere' (the codedeploy token of the global configuration)")
                .hasMessageContaining("Manage Jenkins › Credentials › System")
                .hasMessageContaining("codedeploy tokens create NAME --scope deploy");
    }
}
