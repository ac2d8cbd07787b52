package dev.codedeploy.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.HostAgent;
import dev.codedeploy.agent.Seeder;
import dev.codedeploy.agent.testing.AgentFixture;
import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scrapes a running host agent and its seeder while releases roll through them. */
class AgentMetricsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final AgentFixture region = new AgentFixture();

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void stateBuildsBytesAndHealthChecksMoveWithTheDeploys() throws Exception {
        ReleaseFixture.Build v1 = region.releases.appTar(701, "v1", 0, 3 << 20, null);
        ReleaseFixture.Build bad = region.releases.appTar(702, "bad", 7, 1 << 20, null);
        try (Seeder seeder = new Seeder(AgentFixture.withMetrics(region.config("seeder", AgentConfig.Distribution.P2P, null)));
             HostAgent host = new HostAgent(AgentFixture.withMetrics(region.config("host-a", AgentConfig.Distribution.P2P, null)))) {
            seeder.start();
            host.start();
            assertThat(value(host, "codedeploy_agent_state{state=\"IDLE\"}")).isEqualTo(1);
            assertThat(value(host, "codedeploy_agent_download_bytes_total")).isZero();
            assertThat(value(host, "codedeploy_agent_health_checks_total{outcome=\"healthy\"}")).isZero();
            assertThat(scrape(host)).contains("jvm_memory_used_bytes");

            region.releases.publish(region.zk, region.releases.release(v1, 1, 3, null));
            await().atMost(PATIENCE).until(() -> reported(HostState.HEALTHY, 701));
            assertThat(value(host, "codedeploy_agent_state{state=\"HEALTHY\"}")).as(scrape(host)).isEqualTo(1);
            assertThat(value(host, "codedeploy_agent_state{state=\"IDLE\"}")).isZero();
            assertThat(value(host, "codedeploy_agent_current_build")).isEqualTo(701);
            assertThat(value(host, "codedeploy_agent_target_build")).isEqualTo(701);
            assertThat(value(host, "codedeploy_agent_download_bytes_total")).isEqualTo(v1.size());
            assertThat(value(host, "codedeploy_agent_download_peers")).as("no download in progress").isZero();
            assertThat(value(host, "codedeploy_agent_health_checks_total{outcome=\"healthy\"}")).isEqualTo(1);
            // the seeder sent the host every piece (the host had no other peer)
            await().atMost(PATIENCE).until(() -> value(seeder, "codedeploy_agent_seeded_bytes_total") >= v1.size());

            region.releases.publish(region.zk, region.releases.release(bad, 2, 3, 701L));
            await().atMost(PATIENCE).until(() -> reported(HostState.ROLLED_BACK, 702));
            assertThat(value(host, "codedeploy_agent_state{state=\"ROLLED_BACK\"}")).isEqualTo(1);
            assertThat(value(host, "codedeploy_agent_health_checks_total{outcome=\"unhealthy\"}")).isEqualTo(1);
            assertThat(value(host, "codedeploy_agent_health_checks_total{outcome=\"healthy\"}")).isEqualTo(1);
            assertThat(value(host, "codedeploy_agent_current_build")).isEqualTo(701);
            assertThat(value(host, "codedeploy_agent_target_build")).isEqualTo(702);
            assertThat(value(host, "codedeploy_agent_download_bytes_total")).isEqualTo(v1.size() + bad.size());
        }
    }

    @Test
    void withoutTheSectionNothingListens() throws Exception {
        try (HostAgent host = new HostAgent(region.config("host-b", AgentConfig.Distribution.BLOB, null))) {
            host.start();
            assertThat(host.metricsPort()).isEqualTo(-1);
        }
    }

    private boolean reported(HostState state, long build) {
        HostStatus status = region.status("host-a");
        return status != null && status.state() == state && status.targetBuildId() != null && status.targetBuildId() == build;
    }

    private static String scrape(HostAgent agent) throws Exception {
        return get(agent.metricsPort());
    }

    private static double value(HostAgent agent, String series) throws Exception {
        return value(get(agent.metricsPort()), series);
    }

    private static double value(Seeder seeder, String series) throws Exception {
        return value(get(seeder.metricsPort()), series);
    }

    private static String get(int port) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of one series (its name and labels exactly as Prometheus text shows them). */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
