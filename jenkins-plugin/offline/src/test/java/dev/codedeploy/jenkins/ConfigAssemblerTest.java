package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.EnvironmentSubstitution;
import hudson.AbortException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global configuration and its credentials, turned into the library's configuration. */
class ConfigAssemblerTest {

    @TempDir
    Path dir;

    /** The system's credentials, where the global configuration's ids are looked up. */
    private final Map<String, Credential> store = new HashMap<>();
    /** A build's credentials, where a step's own id is looked up. */
    private final Map<String, Credential> buildStore = new HashMap<>();
    private final CredentialSource systemCredentials = source(store, "system");
    private final CredentialSource buildCredentials = source(buildStore, "build");
    private CodeDeployGlobalConfiguration settings;

    @BeforeEach
    void setUp() {
        settings = new CodeDeployGlobalConfiguration();
    }

    @Test
    void inlineFieldsAndCredentialsMakeAWholeConfiguration() throws Exception {
        settings.setDatabaseUrl("jdbc:mysql://db.internal:3306/codedeploy");
        settings.setDatabaseCredentialsId("db");
        settings.setBlobStoreEndpoint("http://s3.internal:9000");
        settings.setBlobStoreBucket("codedeploy-master");
        settings.setBlobStoreCredentialsId("s3");
        settings.setZooKeeperConnectString("zk1:2181,zk2:2181");
        settings.setZooKeeperCredentialsId("zk");
        store.put("db", new Credential("deployer", "db-pass"));
        store.put("s3", new Credential("AKIA123", "s3-secret"));
        store.put("zk", new Credential("control", "zk-pass"));

        CodeDeployConfig config = assemble(null);

        assertThat(config.database().url()).isEqualTo("jdbc:mysql://db.internal:3306/codedeploy");
        assertThat(config.database().user()).isEqualTo("deployer");
        assertThat(config.database().password()).isEqualTo("db-pass");
        assertThat(config.blobStore().endpoint()).isEqualTo(URI.create("http://s3.internal:9000"));
        assertThat(config.blobStore().bucket()).isEqualTo("codedeploy-master");
        assertThat(config.blobStore().accessKey()).isEqualTo("AKIA123");
        assertThat(config.blobStore().secretKey()).isEqualTo("s3-secret");
        assertThat(config.zooKeeper().connectString()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(config.zooKeeper().user()).isEqualTo("control");
        assertThat(config.zooKeeper().password()).isEqualTo("zk-pass");
    }

    @Test
    void inlineFieldsAndCredentialsOverrideTheFileAndTheStepCanUseItsOwnDatabaseCredentials() throws Exception {
        Path file = dir.resolve("codedeploy.yml");
        Files.writeString(file, """
                database: {url: "jdbc:mysql://old:3306/codedeploy", user: fileuser, password: filepass, poolSize: 3}
                blobStore: {endpoint: "http://s3.file:9000", bucket: file-bucket, accessKey: filekey, secretKey: filesecret}
                queue: {maxAttempts: 7}
                """);
        settings.setConfigFile(file.toString());
        settings.setBlobStoreBucket("inline-bucket");
        settings.setDatabaseCredentialsId("db");
        store.put("db", new Credential("global", "global-pass"));
        buildStore.put("team", new Credential("team", "team-pass"));

        CodeDeployConfig global = assemble(null);
        assertThat(global.database().url()).isEqualTo("jdbc:mysql://old:3306/codedeploy");
        assertThat(global.database().poolSize()).isEqualTo(3);
        assertThat(global.database().user()).isEqualTo("global");
        assertThat(global.blobStore().bucket()).isEqualTo("inline-bucket");
        assertThat(global.blobStore().accessKey()).isEqualTo("filekey");
        assertThat(global.queue().maxAttempts()).isEqualTo(7);

        CodeDeployConfig team = assemble("team");
        assertThat(team.database().user()).isEqualTo("team");
        assertThat(team.database().password()).isEqualTo("team-pass");
    }

    @Test
    void additionalYamlAddsRegionsAndTheSharedCredentialsFillOnlyTheRegionsWithoutTheirOwn() throws Exception {
        settings.setDatabaseUrl("jdbc:mysql://db:3306/codedeploy");
        settings.setBlobStoreBucket("master-bucket");
        settings.setBlobStoreCredentialsId("s3");
        settings.setZooKeeperConnectString("zk-master:2181");
        settings.setZooKeeperCredentialsId("zk");
        settings.setAdditionalYaml("""
                regions:
                  - name: eu-west
                    blobStore: {endpoint: "http://s3.eu:9000", bucket: eu-bucket}
                    zooKeeper: {connectString: "zk-eu:2181"}
                  - name: us-east
                    blobStore: {endpoint: "http://s3.us:9000", bucket: us-bucket, accessKey: own, secretKey: own-secret}
                """);
        store.put("s3", new Credential("shared", "shared-secret"));
        store.put("zk", new Credential("control", "zk-pass"));

        CodeDeployConfig config = assemble(null);

        assertThat(config.regions()).hasSize(2);
        assertThat(config.regions().get(0).blobStore().accessKey()).isEqualTo("shared");
        assertThat(config.regions().get(0).zooKeeper().user()).isEqualTo("control");
        assertThat(config.regions().get(1).blobStore().accessKey()).isEqualTo("own");
        assertThat(config.regions().get(1).blobStore().secretKey()).isEqualTo("own-secret");
        assertThat(config.regions().get(1).zooKeeper()).isNull();
    }

    @Test
    void secretTextSetsThePasswordAndKeepsTheUserOfTheFile() throws Exception {
        Path file = dir.resolve("codedeploy.yml");
        Files.writeString(file, """
                database:
                  url: "jdbc:mysql://db:3306/codedeploy"
                  user: deployer
                blobStore: {bucket: some-bucket}
                """);
        settings.setConfigFile(file.toString());
        settings.setDatabaseCredentialsId("db-password");
        store.put("db-password", new Credential(null, "only-the-password"));

        CodeDeployConfig config = assemble(null);

        assertThat(config.database().user()).isEqualTo("deployer");
        assertThat(config.database().password()).isEqualTo("only-the-password");
    }

    @Test
    void secretsThatLookLikeVariablesArriveUnchanged() throws Exception {
        settings.setDatabaseUrl("jdbc:mysql://db:3306/codedeploy");
        settings.setBlobStoreBucket("a-bucket");
        settings.setDatabaseCredentialsId("db");
        String password = "p${HOME}w$${PATH}x${NOT_SET_ANYWHERE:-d}y${";
        store.put("db", new Credential("u${USER}", password));

        CodeDeployConfig config = assemble(null);

        assertThat(config.database().password()).isEqualTo(password);
        assertThat(config.database().user()).isEqualTo("u${USER}");
    }

    @Test
    void literalGivesBackEveryValueThroughSubstitution() {
        for (String value : List.of("plain", "${X}", "$${X}", "$$${X}", "${X:-}", "${A${B}}", "$", "${", "a}b${c")) {
            assertThat(EnvironmentSubstitution.apply(ConfigAssembler.literal(value), name -> "SUBSTITUTED")).as(value)
                    .isEqualTo(value);
        }
    }

    @Test
    void variablesOfTheFileAndTheFieldsComeFromTheControllersEnvironment() throws Exception {
        String home = System.getenv("HOME");
        Path file = dir.resolve("codedeploy.yml");
        // flow style with an unquoted reference: valid once substituted, as for the library's own loader
        Files.writeString(file, "database: {url: \"jdbc:mysql://db:3306/codedeploy\", password: ${HOME}}\n");
        settings.setConfigFile(file.toString());
        settings.setBlobStoreBucket("${CODEDEPLOY_TEST_UNSET_BUCKET:-bucket-from-default}");

        CodeDeployConfig config = assemble(null);

        assertThat(config.database().password()).isEqualTo(home);
        assertThat(config.blobStore().bucket()).isEqualTo("bucket-from-default");
    }

    @Test
    void nothingConfiguredSaysWhereToConfigure() {
        assertThatThrownBy(() -> assemble(null)).isInstanceOf(AbortException.class)
                .hasMessage(ConfigAssembler.NOT_CONFIGURED);
    }

    @Test
    void unknownCredentialsAreNamed() {
        settings.setDatabaseUrl("jdbc:mysql://db:3306/codedeploy");
        settings.setDatabaseCredentialsId("no-such-id");
        assertThatThrownBy(() -> assemble(null)).isInstanceOf(AbortException.class)
                .hasMessageContaining("no-such-id").hasMessageContaining("database");
    }

    @Test
    void badInputIsReportedWithWhereItCameFrom() throws Exception {
        settings.setConfigFile("relative/codedeploy.yml");
        assertThatThrownBy(() -> assemble(null)).isInstanceOf(AbortException.class).hasMessageContaining("absolute path");

        settings.setConfigFile(dir.resolve("missing.yml").toString());
        assertThatThrownBy(() -> assemble(null)).isInstanceOf(AbortException.class).hasMessageContaining("missing.yml");

        settings.setConfigFile(null);
        settings.setDatabaseUrl("jdbc:mysql://db:3306/codedeploy");
        settings.setAdditionalYaml("blobStore: [not, a, mapping");
        assertThatThrownBy(() -> assemble(null)).isInstanceOf(AbortException.class).hasMessageContaining("additional YAML");

        settings.setAdditionalYaml("blobStore: {bucket: ok-bucket}\nunknownSection: 1\n");
        assertThatThrownBy(() -> assemble(null)).isInstanceOf(AbortException.class).hasMessageContaining("unknownSection");

        settings.setAdditionalYaml(null);
        settings.setDatabaseUrl("postgres://db/codedeploy");
        settings.setBlobStoreBucket("ok-bucket");
        assertThatThrownBy(() -> assemble(null)).isInstanceOf(AbortException.class).hasMessageContaining("jdbc:mysql://");
    }

    @Test
    void theGlobalIdsAreLookedUpAsTheSystemAndTheStepsOwnIdAsTheBuild() throws Exception {
        settings.setDatabaseUrl("jdbc:mysql://db:3306/codedeploy");
        settings.setDatabaseCredentialsId("db");
        settings.setBlobStoreBucket("a-bucket");
        settings.setBlobStoreCredentialsId("s3");
        store.put("db", new Credential("system-user", "system-pass"));
        store.put("s3", new Credential("AKIA", "s3-secret"));
        buildStore.put("team", new Credential("team", "team-pass"));

        CodeDeployConfig global = assemble(null);
        assertThat(global.database().user()).isEqualTo("system-user");
        assertThat(global.blobStore().secretKey()).isEqualTo("s3-secret");

        // the step's id never reaches the system's store, even for an id that is there
        CodeDeployConfig team = assemble("team");
        assertThat(team.database().user()).isEqualTo("team");
        assertThat(team.blobStore().secretKey()).isEqualTo("s3-secret");
        assertThatThrownBy(() -> assemble("db")).isInstanceOf(AbortException.class)
                .hasMessage("no credentials with id 'db' (the step's database credentials) in build");
    }

    private CodeDeployConfig assemble(String stepCredentialsId) throws AbortException {
        return new ConfigAssembler(settings, systemCredentials, buildCredentials).assemble(stepCredentialsId);
    }

    private static CredentialSource source(Map<String, Credential> credentials, String name) {
        return (id, purpose) -> {
            Credential c = credentials.get(id);
            if (c == null) {
                throw new AbortException("no credentials with id '" + id + "' (" + purpose + ") in " + name);
            }
            return c;
        };
    }
}
