package dev.codedeploy.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.config.DefaultsConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.deploys.DeploysConfig;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** {@code api.tls}: the server serves HTTPS from a PKCS#12 key store, and nothing in plain HTTP. */
class ApiTlsTest {

    @Test
    void theApiServesHttpsFromItsKeyStoreOnly() throws Exception {
        Path store = EmbeddedServers.newFolder("tls").resolve("api.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "codedeploy", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as(new String(keytool.getInputStream().readAllBytes()))
                .isTrue();
        String token = ApiTokens.generate();
        ApiConfig config = new ApiConfig(true, "127.0.0.1", 0, null, null, new ApiConfig.Tls(store.toString(), "changeit"),
                List.of(new ApiToken("reader", "read", ApiTokens.hash(token))));
        try (Database database = TestServers.newDatabase(2);
             ApiServer api = new ApiServer(config, new Deploys(database, DeploysConfig.DEFAULTS, Set.of("production"),
                     DefaultsConfig.NONE, env -> Optional.empty()), new JobQueue(database, QueueConfig.DEFAULTS), null, null, null,
                     Duration.ofMillis(200))) {
            api.start();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(store)).connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> https = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port() + "/api/v1/whoami"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(https.statusCode()).isEqualTo(200);
            assertThat(https.body()).contains("\"name\":\"reader\"");
            int plain;
            try {
                plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (java.io.IOException refused) {
                plain = -1;
            }
            assertThat(plain).as("plain HTTP on the HTTPS port").isNotEqualTo(200);
        }
    }

    /** An SSL context that trusts the key store's own certificate (a self-signed one, as a test has). */
    private static SSLContext trusting(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("codedeploy", (X509Certificate) keys.getCertificate("codedeploy"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
