package dev.codedeploy.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Follows one deploy's event stream until the deploy ends. A dropped connection, or a server that is restarting, is
 * retried with {@code Last-Event-ID}, so the listener sees every event once and in order; a 4xx ends the follow, and so
 * does an event that satisfies the follower's {@code until}.
 */
final class DeployFollower {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final CodeDeployClient client;
    private final long deployId;
    private final Consumer<DeployEvent> listener;
    private final Predicate<DeployEvent> until;
    private long lastEventId;
    private Instant deadline;

    DeployFollower(CodeDeployClient client, long deployId, long afterEventId, Consumer<DeployEvent> listener, Predicate<DeployEvent> until) {
        this.client = client;
        this.deployId = deployId;
        this.lastEventId = afterEventId;
        this.listener = listener;
        this.until = until;
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
            } catch (EventStreamLines.DeadlineException e) {
                break;
            } catch (IOException e) {
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

    /**
     * Reads the stream once; true when the deploy ended (or {@code until} held), false when the connection ended first.
     * The thread waits on the lines the HTTP client hands over, so an interrupt ends the follow at once.
     */
    private boolean readStream() throws IOException, InterruptedException {
        String path = "/api/v1/deploys/" + deployId + "/events/stream";
        EventStreamLines lines = new EventStreamLines();
        client.openStream(path, lastEventId, lines);
        try {
            if (lines.awaitStatus(deadline) != 200) {
                StringBuilder body = new StringBuilder();
                for (String line = lines.next(deadline); line != null && body.length() < 64 * 1024; line = lines.next(deadline)) {
                    body.append(line).append('\n');
                }
                throw CodeDeployClient.streamRefused(lines.awaitStatus(deadline), body.toString(), path);
            }
            return ServerSentEvents.read(() -> lines.next(deadline), this::accept);
        } finally {
            lines.cancel();
        }
    }

    /** Takes one event of the stream; false once the deploy ended or {@code until} held. */
    private boolean accept(ServerSentEvents.Event event) throws IOException {
        switch (event.type()) {
            case "deploy" -> {
                DeployEvent e = parse(event.data());
                if (e.id() > lastEventId) {
                    lastEventId = e.id();
                    listener.accept(e);
                    // the caller has seen what it waited for: stop reading, as at the end
                    return !until.test(e);
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
    }

    private static DeployEvent parse(String data) throws IOException {
        try {
            return ClientJson.MAPPER.readValue(data, DeployEvent.class);
        } catch (JsonProcessingException e) {
            throw new IOException("an event is not a DeployEvent: " + e.getOriginalMessage(), e);
        }
    }
}
