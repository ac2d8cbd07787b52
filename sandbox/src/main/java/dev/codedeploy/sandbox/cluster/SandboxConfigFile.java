package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.release.ReleaseKeys;
import java.util.stream.Collectors;

/** Writes the sandbox's {@code codedeploy.yml}: every section, pointing at the embedded servers. */
final class SandboxConfigFile {

    private SandboxConfigFile() {
    }

    static String render(SandboxCluster c) {
        SandboxOptions o = c.options();
        String regions = c.regions().values().stream().map(r -> String.format("""
                  - name: %s
                    blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}
                    zooKeeper: {connectString: "%s", user: %s, password: %s}
                """, r.name(), r.s3().endpoint(), r.bucket().bucket(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY,
                r.zooKeeper().connectString(), SandboxCluster.CONTROL_USER, SandboxCluster.CONTROL_PASSWORD)).collect(Collectors.joining());
        return String.format("""
                # written by the codedeploy sandbox: every server below runs on this machine
                database: {url: "%s", user: root, password: "", poolSize: 12}
                blobStore: {endpoint: "%s", bucket: codedeploy-master, accessKey: %s, secretKey: %s, pathStyle: true}
                queue: {maxAttempts: 3}
                build: {workers: %d, workDir: "%s", heartbeatInterval: %dms, pollInterval: 200ms}
                monitor: {enabled: true, checkInterval: 1s}
                zooKeeper: {connectString: "%s", user: %s, password: %s}
                regions:
                %s
                rollout:
                  signingKey: %s
                  publicKey: %s
                  keyId: sandbox
                  hostSecret: %s
                  pollInterval: 5s
                  checkInterval: 500ms
                  environments:
                    %s: {waves: %s, bakeTime: %dms, healthyThreshold: 1.0, maxUnavailable: 100, waveTimeout: 5m}
                replication:
                  enabled: true
                  pollInterval: 300ms
                  heartbeatInterval: 2s
                  retryBackoff: 1s
                  maxRetryBackoff: 10s
                defaults: {environment: %s, repoUrl: "%s"}
                deploys: {pollInterval: 250ms, lease: 3s, progressInterval: 1s}
                api:
                  host: 127.0.0.1
                  port: %d
                  tokens:
                    - {name: sandbox, scope: admin, hash: "%s"}
                """,
                c.databaseUrl(), c.masterS3().endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY,
                o.workers(), c.dir().resolve("work"), o.heartbeat().toMillis(),
                c.masterZooKeeper().connectString(), SandboxCluster.CONTROL_USER, SandboxCluster.CONTROL_PASSWORD,
                regions.stripTrailing(),
                ReleaseKeys.encode(c.keys().getPrivate()), ReleaseKeys.encode(c.keys().getPublic()),
                SandboxCluster.HOST_SECRET,
                SandboxCluster.ENVIRONMENT, o.waves(), o.bakeTime().toMillis(),
                SandboxCluster.ENVIRONMENT, c.repoUrl(), c.apiPort(), c.tokenHash());
    }
}
