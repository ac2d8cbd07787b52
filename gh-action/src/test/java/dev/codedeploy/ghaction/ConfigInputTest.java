package dev.codedeploy.ghaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every secret of the configuration is announced to the runner and masked, whatever field holds it. */
class ConfigInputTest {

    private static final String CONFIG = """
            database: {url: "jdbc:mysql://db:3306/cd?password=db-url-secret&useSSL=false", user: cd}
            blobStore: {endpoint: "http://s3:9000", bucket: master, accessKey: master-access-id, secretKey: master-secret-key}
            zooKeeper: {connectString: "zk:2181", user: control, password: zk-control-secret}
            regions:
              - name: eu
                blobStore: {endpoint: "http://s3-eu:9000", bucket: eu-builds, accessKey: eu-access-id, secretKey: eu-secret-key}
                zooKeeper: {connectString: "zk-eu:2181", user: control, password: zk-eu-secret}
            rollout:
              signingKey: %s
              agentUser: agent
              agentPassword: agent-zk-secret
            """;

    @Test
    void everySecretOfTheConfigurationIsMasked() {
        String signingKey = dev.codedeploy.release.ReleaseKeys.encode(dev.codedeploy.release.ReleaseKeys.generate().getPrivate());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        Secrets secrets = new Secrets(new PrintStream(raw, true, StandardCharsets.UTF_8));

        ConfigInput.load(CONFIG.formatted(signingKey), secrets);

        String announced = raw.toString(StandardCharsets.UTF_8);
        for (String secret : new String[] {"db-url-secret", "master-secret-key", "zk-control-secret", "eu-secret-key", "zk-eu-secret",
                signingKey, "agent-zk-secret"}) {
            assertThat(announced).as(secret).contains("::add-mask::" + secret);
            assertThat(secrets.mask("value: " + secret)).isEqualTo("value: ***");
        }
        // access key ids are identifiers: masking them would garble every line that happens to hold the word
        assertThat(announced).doesNotContain("master-access-id");
    }
}
