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
 * The two scopes of the credentials lookup, through the credentials plugin's API (its stand-in keeps the real
 * visibility: System-scoped credentials are seen by the system, never by a build).
 */
class JenkinsCredentialsTest {

    private final Run<?, ?> run = new TestStepContext("team/app#1", new EnvVars()).run();

    @BeforeEach
    void addCredentials() {
        StandInCredentials.clear();
        StandInCredentials.add(StandInCredentials.usernamePassword(CredentialsScope.SYSTEM, "system-db", "control", "system-pass"));
        StandInCredentials.add(StandInCredentials.secretText(CredentialsScope.SYSTEM, "system-token", "system-secret"));
        StandInCredentials.add(StandInCredentials.usernamePassword(CredentialsScope.GLOBAL, "team-db", "team", "team-pass"));
    }

    @AfterEach
    void clear() {
        StandInCredentials.clear();
    }

    @Test
    void theGlobalConfigurationSeesSystemAndGlobalCredentials() throws AbortException {
        SystemCredentials system = new SystemCredentials();

        assertThat(system.find("system-db", "database")).isEqualTo(new Credential("control", "system-pass"));
        assertThat(system.find("system-token", "database")).isEqualTo(new Credential(null, "system-secret"));
        assertThat(system.find("team-db", "database")).isEqualTo(new Credential("team", "team-pass"));
    }

    @Test
    void aBuildSeesGlobalCredentialsButNotTheSystemOnes() throws AbortException {
        RunCredentials build = new RunCredentials(run);

        assertThat(build.find("team-db", "database")).isEqualTo(new Credential("team", "team-pass"));
        assertThatThrownBy(() -> build.find("system-db", "the step's database credentials")).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("codeDeploy: no credentials with id 'system-db' (the step's database credentials) that this build may use");
        assertThatThrownBy(() -> build.find("system-token", "database")).isInstanceOf(AbortException.class);
    }

    @Test
    void aMissingIdSaysWhereToAddIt() {
        assertThatThrownBy(() -> new SystemCredentials().find("nowhere", "blob store access key and secret key"))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("'nowhere' (blob store access key and secret key)")
                .hasMessageContaining("Manage Jenkins › Credentials › System");
    }
}
