package dev.codedeploy.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Follows one deploy's event stream until the deploy ends. A dropped connection, or a server that is restarting, is
 * retried with {@code Last-Event-ID}, so the listener sees every event once and in order; a 4xx ends the follow.
 */
final class DeployFollower {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final CodeDeployClient client;
    private final long deployId;
    private final Consumer<DeployEvent> listener;
    private long lastEventId;
    private Instant deadline;

    /** The follow's time is up while the stream is open (the server's keep-alives let it notice). */
    private static final class DeadlinePassed extends IOException {
        DeadlinePassed() {
            super("the follow's time is up");
        }
    }

    DeployFollower(CodeDeployClient client, long deployId, long afterEventId, Consumer<DeployEvent> listener) {
        this.client = client;
        this.deployId = deployId;
        this.lastEventId = afterEventId;
        this.listener = listener;
    }

    Deploy follow(Duration maxWait) throws InterruptedException {
        deadline = Instant.now().plus(maxWait);
        Duration backoff = Duration.ofMillis(200);
        CodeDeployClientException lastFailure = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (readStream()) {
                    return client.deploy(deployId);
                }
                backoff = Duration.ofMillis(200);
            } catch (ApiException e) {
                if (e.isClientError()) {
                    throw e;
                }
                lastFailure = e;
            } catch (CodeDeployClientException e) {
                lastFailure = e;
            } catch (DeadlinePassed e) {
                break;
            } catch (IOException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("stopped following deploy " + deployId);
                }
                lastFailure = new CodeDeployClientException("the event stream of deploy " + deployId + " broke: " + e, e);
            }
            Thread.sleep(Math.min(backoff.toMillis(), Math.max(0, Duration.between(Instant.now(), deadline).toMillis())));
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        Deploy last = client.tryDeploy(deployId);
        if (last != null && last.isFinal()) {
            return last;
        }
        throw new FollowTimeoutException("deploy " + deployId + " did not end within " + maxWait
                + (lastFailure == null ? "" : "; last connection error: " + lastFailure.getMessage()), last);
    }

    /** Reads the stream once; true when the deploy ended, false when the connection ended first. */
    private boolean readStream() throws IOException, InterruptedException {
        HttpResponse<InputStream> response = client.openStream("/api/v1/deploys/" + deployId + "/events/stream", lastEventId);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            return ServerSentEvents.read(in, event -> {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IOException("interrupted");
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new DeadlinePassed();
                }
                switch (event.type()) {
                    case "deploy" -> {
                        DeployEvent e = parse(event.data());
                        if (e.id() > lastEventId) {
                            lastEventId = e.id();
                            listener.accept(e);
                        }
                        return true;
                    }
                    case "end" -> {
                        return false;
                    }
                    default -> {
                        return true;
                    }
                }
            });
        }
    }

    private static DeployEvent parse(String data) throws IOException {
        try {
            return ClientJson.MAPPER.readValue(data, DeployEvent.class);
        } catch (JsonProcessingException e) {
            throw new IOException("an event is not a DeployEvent: " + e.getOriginalMessage(), e);
        }
    }
}
