package dev.codedeploy.cli;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a client command reaches the server: {@code --server} and {@code --token-file}, else the environment
 * ({@code CODEDEPLOY_SERVER}, {@code CODEDEPLOY_TOKEN}), else a client configuration file ({@code -c}). A client
 * holds nothing else: no database, store or ZooKeeper credentials, no signing key.
 */
final class ClientOption {

    /** The environment the settings are read from (tests replace it). */
    static Map<String, String> environment = System.getenv();

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Client configuration: 'server' and 'token' (YAML; $${ENV} substituted). See docs/configuration.md.")
    Path file;

    @Option(names = "--server", paramLabel = "URL", description = "The codedeploy server (default: $CODEDEPLOY_SERVER, or 'server' of -c).")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the token (default: $CODEDEPLOY_TOKEN, or 'token' of -c).")
    Path tokenFile;

    /** The client, or a clear error naming the three ways to say where the server is. */
    CodeDeployClient client() {
        ClientConfig fromFile = file == null ? null : ClientConfig.load(file);
        String url = first(server, environment.get("CODEDEPLOY_SERVER"), fromFile == null ? null : fromFile.server());
        if (url == null) {
            throw new ConfigException("no codedeploy server: give --server URL, set CODEDEPLOY_SERVER, or -c a client configuration"
                    + " with 'server' and 'token'");
        }
        String token = first(readToken(), environment.get("CODEDEPLOY_TOKEN"), fromFile == null ? null : fromFile.token());
        if (token == null) {
            throw new ConfigException("no token for " + url + ": give --token-file FILE, set CODEDEPLOY_TOKEN, or -c a client"
                    + " configuration with 'token'");
        }
        try {
            return CodeDeployClient.create(URI.create(url.trim()), token);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private String readToken() {
        if (tokenFile == null) {
            return null;
        }
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new ConfigException("cannot read the token file " + tokenFile + ": " + e.getMessage());
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
