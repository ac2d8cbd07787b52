package dev.codedeploy.cli;

import dev.codedeploy.api.ApiToken;
import dev.codedeploy.api.ApiTokens;
import dev.codedeploy.client.Scope;
import dev.codedeploy.config.ConfigException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codedeploy tokens}: the API's bearer tokens. */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Make tokens for the server's API.",
        subcommands = TokensCommand.Create.class)
final class TokensCommand {

    /**
     * {@code codedeploy tokens create NAME --scope read|deploy|admin}: prints a new token once, and the entry (its hash)
     * to add under {@code api.tokens} of the server's configuration. The token is never stored anywhere.
     */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Print a new API token (once: it is stored nowhere) and the entry to add under api.tokens of every",
                    "server's configuration. The name is what the audit records for everything the token does."})
    static final class Create implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "Who holds it: a person, or a job such as jenkins or release-bot.")
        String name;

        @Option(names = "--scope", required = true, paramLabel = "read|deploy|admin",
                description = "read: look; deploy: also request, cancel, pause, resume, roll back; admin: also lock and unlock.")
        String scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Scope parsed = ApiToken.scopeOf(scope, "--scope");
            if (name == null || !ApiToken.NAME.matcher(name).matches()) {
                throw new ConfigException("NAME '" + name + "' must be 1 to 64 letters, digits or . _ @ -");
            }
            String token = ApiTokens.generate();
            ApiToken entry = new ApiToken(name, parsed.name().toLowerCase(Locale.ROOT), ApiTokens.hash(token));
            PrintWriter out = spec.commandLine().getOut();
            out.println("token for " + name + " (" + entry.scope() + "), shown once: give it to its holder, keep it nowhere else");
            out.println();
            out.println("  " + token);
            out.println();
            out.println("add this entry under api.tokens in the configuration of every codedeploy server, then restart them:");
            out.println();
            out.println("  - {name: " + entry.name() + ", scope: " + entry.scope() + ", hash: \"" + entry.hash() + "\"}");
            out.flush();
            return CodeDeployCli.OK;
        }
    }
}
