package dev.codedeploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Whoever reaches the metrics port reads counts and names, never a value of the configuration. */
class MetricsServerTest {

    @Test
    void theEndpointCarriesNoSecretOfTheConfiguration() throws Exception {
        CodeDeployConfig config = ConfigLoader.parse("""
                database: {url: "jdbc:mysql://127.0.0.1:1/cd", user: root, password: metrics-db-secret}
                blobStore: {endpoint: "http://127.0.0.1:1", bucket: master-metrics, accessKey: metrics-access-id, secretKey: metrics-secret-key}
                zooKeeper: {connectString: "127.0.0.1:1", user: control, password: metrics-zk-secret}
                rollout: {agentUser: agent, agentPassword: metrics-agent-secret}
                """, "metrics test");
        try (var database = TestServers.newDatabase(2); MetricsServer metrics = new MetricsServer("127.0.0.1", 0)) {
            metrics.start();
            new QueueMetrics(new JobQueue(database, QueueConfig.DEFAULTS)).bindTo(metrics.registry());
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(text).contains("codedeploy_jobs");
            for (String secret : config.secrets()) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }
}
