package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.release.ReleaseKeyring;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.rollout.RolloutConfig;
import dev.codedeploy.testing.EmbeddedServers;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeysCommandTest {

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;
    private final Path dir = EmbeddedServers.newFolder("keys");

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void generateWritesAnOwnerOnlyPrivateKeyAndPrintsTheLinesBothSidesTake() throws Exception {
        assertThat(run("keys", "generate", "--key-id", "control-2026", "--dir", dir.toString())).as(err.toString()).isZero();

        Path privateFile = dir.resolve("control-2026.key");
        Path publicFile = dir.resolve("control-2026.pub");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile))).isEqualTo("rw-------");
        String privateKey = Files.readString(privateFile).trim();
        String publicKey = Files.readString(publicFile).trim();
        assertThat(out.toString()).contains("public key control-2026: " + publicKey).doesNotContain(privateKey);

        // the pair works: what the private key signs, the public key verifies
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(ReleaseKeys.privateKey(privateKey));
        signer.update("release".getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(ReleaseKeys.publicKey(publicKey));
        verifier.update("release".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isTrue();

        // the printed rollout: lines are a valid section once the environment gives the signing key
        Matcher rollout = Pattern.compile("(?m)^rollout:\\n((?:  .*\\n)+)").matcher(out.toString());
        assertThat(rollout.find()).as(out.toString()).isTrue();
        String section = rollout.group(1).replace("${CODEDEPLOY_SIGNING_KEY}", privateKey);
        RolloutConfig parsed = ConfigLoader.parse(section, "printed rollout", RolloutConfig.class);
        assertThat(parsed.keyId()).isEqualTo("control-2026");
        assertThat(parsed.publicKey()).isEqualTo(publicKey);
        assertThat(parsed.signingKey()).isEqualTo(privateKey);

        // and the agents' releasePublicKeys: lines hold the key under its id
        Matcher agents = Pattern.compile("(?m)^releasePublicKeys:\\n  control-2026: (\\S+)$").matcher(out.toString());
        assertThat(agents.find()).as(out.toString()).isTrue();
        assertThat(ReleaseKeyring.parse(null, java.util.Map.of("control-2026", agents.group(1)), "printed").find("control-2026"))
                .isEqualTo(ReleaseKeys.publicKey(publicKey));
    }

    @Test
    void anExistingKeyIsNeverOverwrittenWithoutForce() throws Exception {
        assertThat(run("keys", "generate", "--key-id", "k1", "--dir", dir.toString())).isZero();
        String first = Files.readString(dir.resolve("k1.key"));

        assertThat(run("keys", "generate", "--key-id", "k1", "--dir", dir.toString())).isEqualTo(CodeDeployCli.USAGE);
        assertThat(err.toString()).contains("k1.key exists").contains("--force");
        assertThat(Files.readString(dir.resolve("k1.key"))).isEqualTo(first);

        assertThat(run("keys", "generate", "--key-id", "k1", "--dir", dir.toString(), "--force")).isZero();
        assertThat(Files.readString(dir.resolve("k1.key"))).isNotEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("k1.key")))).isEqualTo("rw-------");
    }

    @Test
    void aBadKeyIdIsRefusedBeforeAnythingIsWritten() throws Exception {
        assertThat(run("keys", "generate", "--key-id", "../etc/x", "--dir", dir.toString())).isEqualTo(CodeDeployCli.USAGE);
        assertThat(err.toString()).contains("--key-id '../etc/x' is not valid");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
