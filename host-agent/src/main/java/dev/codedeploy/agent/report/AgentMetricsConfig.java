package dev.codedeploy.agent.report;

import dev.codedeploy.config.ConfigException;

/**
 * The agent's {@code metrics:} section: where it serves Prometheus text ({@code http://host:port/metrics}). Without
 * the section the agent serves none. The endpoint is not authenticated: bind it to the monitoring network's address.
 *
 * @param host the address to listen on (default 127.0.0.1: only this host; give the monitoring network's address)
 * @param port the port (0: any free port)
 */
public record AgentMetricsConfig(String host, Integer port) {

    public AgentMetricsConfig {
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (port == null || port < 0 || port > 65535) {
            throw new ConfigException("metrics.port is required: 0 to 65535 (0: any free port), got " + port);
        }
    }
}
