package dev.codedeploy.cli;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A client's configuration file: all a client needs is the server's URL and a token (YAML, {@code ${ENV}}
 * substituted, so that the token can stay in the environment).
 *
 * <pre>
 * server: https://codedeploy.example.com
 * token: ${CODEDEPLOY_TOKEN}
 * </pre>
 *
 * @param server the codedeploy server's URL
 * @param token  a token of the server's {@code api.tokens}
 */
public record ClientConfig(String server, String token) {

    /**
     * Reads {@code file}.
     *
     * @throws ConfigException naming the file and what is wrong (a server's configuration included)
     */
    public static ClientConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read the client configuration " + file + ": " + e.getMessage());
        }
        try {
            return ConfigLoader.parse(text, file.toString(), ClientConfig.class);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + ". A client configuration holds only 'server' and 'token'"
                    + " (a server's configuration is for codedeploy server and worker; see docs/configuration.md)");
        }
    }

    /** The YAML of this configuration, as {@code up} writes it. */
    public String toYaml() {
        return "# a codedeploy client: all it needs is the server and a token\nserver: " + server + "\ntoken: " + token + "\n";
    }
}
