package dev.codedeploy.api;

import dev.codedeploy.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code api:} section: the HTTP API that {@code codedeploy server} serves to clients (the CLI, the Jenkins step,
 * the Action, the dashboard).
 *
 * <pre>
 * api:
 *   enabled: true
 *   host: 0.0.0.0
 *   port: 8080
 *   maxBodyBytes: 65536        # larger request bodies are refused with 413
 *   keepAlive: 5s              # a comment line on every event stream this often
 *   tls: {keyStore: /etc/codedeploy/api.p12, password: ${CODEDEPLOY_KEYSTORE_PASSWORD}}   # optional: HTTPS here
 *   tokens:
 *     - {name: release-bot, scope: deploy, hash: "sha256:..."}
 * </pre>
 *
 * @param enabled      serve the API (default true; {@code codedeploy server} refuses to start it without tokens)
 * @param host         the address to listen on (default {@code 0.0.0.0})
 * @param port         the port (default 8080; 0 picks a free one)
 * @param maxBodyBytes the largest request body accepted (default 64 KiB)
 * @param keepAlive    how often an idle event stream gets a comment line (default 5 s)
 * @param tls          a PKCS#12 key store to serve HTTPS with, or null for plain HTTP (behind a TLS proxy)
 * @param tokens       who may call it
 */
public record ApiConfig(Boolean enabled, String host, Integer port, Long maxBodyBytes, Duration keepAlive, Tls tls, List<ApiToken> tokens) {

    /** Every default, no token. */
    public static final ApiConfig DEFAULTS = new ApiConfig(null, null, null, null, null, null, null);

    public ApiConfig {
        enabled = enabled == null || enabled;
        host = host == null || host.isBlank() ? "0.0.0.0" : host.trim();
        port = port == null ? 8080 : port;
        maxBodyBytes = maxBodyBytes == null ? 64 * 1024L : maxBodyBytes;
        keepAlive = keepAlive == null ? Duration.ofSeconds(5) : keepAlive;
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        if (port < 0 || port > 65535) {
            throw new ConfigException("api.port must be 0 to 65535, got " + port);
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 16L * 1024 * 1024) {
            throw new ConfigException("api.maxBodyBytes must be 1024 to 16777216, got " + maxBodyBytes);
        }
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new ConfigException("api.keepAlive must be positive, got " + keepAlive);
        }
        new ApiTokens(tokens);
    }

    /** The same with another port and tokens (tests, the sandbox). */
    public ApiConfig with(int newPort, List<ApiToken> newTokens) {
        return new ApiConfig(enabled, host, newPort, maxBodyBytes, keepAlive, tls, newTokens);
    }

    /**
     * HTTPS served by the API itself.
     *
     * @param keyStore a PKCS#12 file with the server's key and certificate chain
     * @param password its password
     */
    public record Tls(String keyStore, String password) {

        public Tls {
            if (keyStore == null || !Files.isReadable(Path.of(keyStore))) {
                throw new ConfigException("api.tls.keyStore '" + keyStore + "' is not a readable file: give a PKCS#12 key store");
            }
            if (password == null) {
                throw new ConfigException("api.tls.password is missing: the key store's password");
            }
        }

        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + "]";
        }
    }
}
