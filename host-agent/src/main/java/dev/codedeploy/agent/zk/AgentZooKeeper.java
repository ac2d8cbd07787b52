package dev.codedeploy.agent.zk;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ZooKeeperConfig;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Opens the agent's client to its regional ZooKeeper: digest credentials when the configuration has them, the
 * {@link AgentAcls} for every node it creates, and retries with backoff up to 10 s between attempts.
 */
public final class AgentZooKeeper {

    private AgentZooKeeper() {
    }

    /** A started client; the caller closes it. */
    public static CuratorFramework connect(ZooKeeperConfig config) {
        boolean authenticated = config.user() != null && !config.user().isBlank();
        if (authenticated && config.password() == null) {
            throw new ConfigException("zooKeeper.user '" + config.user() + "' has no zooKeeper.password");
        }
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .sessionTimeoutMs(Math.toIntExact(config.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(config.connectionTimeout().toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(250, 20, 10_000))
                .aclProvider(new AgentAcls(authenticated));
        if (authenticated) {
            builder.authorization("digest", (config.user() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        }
        CuratorFramework client = builder.build();
        client.start();
        return client;
    }
}
