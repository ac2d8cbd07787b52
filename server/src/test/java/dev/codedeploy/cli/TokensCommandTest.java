package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.api.ApiConfig;
import dev.codedeploy.api.ApiTokens;
import dev.codedeploy.client.Identity;
import dev.codedeploy.client.Scope;
import dev.codedeploy.config.ConfigLoader;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TokensCommandTest {

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void createPrintsANewTokenOnceAndTheEntryThatAuthenticatesIt() {
        assertThat(run("tokens", "create", "release-bot", "--scope", "deploy")).isZero();

        Matcher token = Pattern.compile("^  (cdt_[A-Za-z0-9_-]{43})$", Pattern.MULTILINE).matcher(out.toString());
        assertThat(token.find()).as(out.toString()).isTrue();
        Matcher entry = Pattern.compile("^  (- \\{name: release-bot, scope: deploy, hash: \"sha256:[0-9a-f]{64}\"})$", Pattern.MULTILINE)
                .matcher(out.toString());
        assertThat(entry.find()).as(out.toString()).isTrue();
        ApiConfig api = ConfigLoader.parse("tokens:\n  " + entry.group(1) + "\n", "entry", ApiConfig.class);
        assertThat(new ApiTokens(api.tokens()).authenticate(token.group(1))).contains(new Identity("release-bot", Scope.DEPLOY));
        assertThat(new ApiTokens(api.tokens()).authenticate(ApiTokens.generate())).isEmpty();

        assertThat(run("tokens", "create", "release-bot", "--scope", "deploy")).isZero();
        assertThat(out.toString().split("cdt_", -1)).as("a new token each time").hasSize(3);
    }

    @Test
    void aBadScopeOrNameIsRefused() {
        assertThat(run("tokens", "create", "bob", "--scope", "root")).isEqualTo(CodeDeployCli.USAGE);
        assertThat(err.toString()).contains("--scope is 'root': read, deploy or admin");
        assertThat(run("tokens", "create", "bob smith", "--scope", "read")).isEqualTo(CodeDeployCli.USAGE);
        assertThat(err.toString()).contains("must be 1 to 64 letters");
        assertThat(out.toString()).doesNotContain("cdt_");
    }
}
