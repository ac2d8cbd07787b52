package dev.codedeploy.api;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.json.Json;
import dev.codedeploy.lifecycle.AbstractService;
import io.javalin.http.sse.SseClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams deploy events to the API's server-sent-event clients. One thread reads the new rows of
 * {@code deploy_events} for the whole server and hands them to every subscriber, so that followers cost the database
 * nothing each; a subscriber first gets the history after its {@code Last-Event-ID} from the database, then the live
 * events, each once and in order. A deploy's stream ends with an {@code end} event carrying the deploy once it is
 * final. Idle streams get a comment line every keep-alive, which also finds clients that went away.
 *
 * <p>Losing the database: a poll fails and is tried again; subscribers stay connected and get what was missed when it
 * is back (they are fed from the last event id seen).
 */
final class DeployEventFeed extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(DeployEventFeed.class);
    /** Rows re-read below the newest id seen: an event committed after a higher id is still delivered. */
    private static final int LOOKBACK = 50;
    private static final int BATCH = 500;
    private static final int REMEMBERED = 4000;

    private final Deploys deploys;
    private final Duration poll;
    private final Duration keepAlive;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Set<Long> delivered = new LinkedHashSet<>();
    private long newest;
    private long lastKeepAlive = System.nanoTime();
    private ScheduledExecutorService executor;

    DeployEventFeed(Deploys deploys, Duration poll, Duration keepAlive) {
        this.deploys = deploys;
        this.poll = poll;
        this.keepAlive = keepAlive;
    }

    @Override
    protected void doStart() {
        newest = deploys.lastEventId();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deploy-event-feed");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::pollSafely, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Streams the events of deploy {@code deployId} (or of every deploy when null) after {@code afterId} to
     * {@code client}, until the deploy ends or the client goes away.
     */
    void subscribe(SseClient client, Long deployId, long afterId) {
        Subscriber subscriber = new Subscriber(client, deployId, afterId);
        client.keepAlive();
        client.onClose(() -> subscribers.remove(subscriber));
        subscribers.add(subscriber);
        subscriber.replay();
    }

    /** How many clients are connected. */
    int subscribers() {
        return subscribers.size();
    }

    private void pollSafely() {
        try {
            List<DeployEvent> events = deploys.allEventsAfter(Math.max(0, newest - LOOKBACK), BATCH);
            for (DeployEvent e : events) {
                newest = Math.max(newest, e.id());
                if (delivered.add(e.id())) {
                    subscribers.forEach(s -> s.live(e));
                }
            }
            while (delivered.size() > REMEMBERED) {
                delivered.remove(delivered.iterator().next());
            }
            if (System.nanoTime() - lastKeepAlive >= keepAlive.toNanos()) {
                lastKeepAlive = System.nanoTime();
                subscribers.forEach(Subscriber::ping);
            }
        } catch (RuntimeException e) {
            log.warn("deploy event feed: {}; trying again in {}", e.getMessage(), poll);
        }
    }

    @Override
    protected void doClose() {
        executor.shutdownNow();
        subscribers.forEach(s -> s.client.close());
        subscribers.clear();
    }

    /** One connected client. Its methods are synchronized: the replay and the feed both write to it. */
    private final class Subscriber {

        private final SseClient client;
        private final Long deployId;
        private long lastSent;
        private boolean replayed;
        /** For the stream of all deploys: the ids its replay sent, which the feed may hand it again. */
        private final Set<Long> sentInReplay = new java.util.HashSet<>();

        Subscriber(SseClient client, Long deployId, long afterId) {
            this.client = client;
            this.deployId = deployId;
            this.lastSent = afterId;
        }

        synchronized void replay() {
            List<DeployEvent> history;
            do {
                history = deployId == null ? deploys.allEventsAfter(lastSent, BATCH) : deploys.events(deployId, lastSent, BATCH);
                for (DeployEvent e : history) {
                    if (!send(e)) {
                        return;
                    }
                    if (deployId == null) {
                        sentInReplay.add(e.id());
                    }
                }
            } while (history.size() == BATCH && !client.terminated());
            replayed = true;
            if (deployId != null) {
                // a follower that had already seen the end: the stream ends at once
                deploys.find(deployId).filter(Deploy::isFinal).ifPresent(d -> {
                    client.sendEvent("end", text(d), Long.toString(lastSent));
                    client.close();
                });
            }
        }

        synchronized void live(DeployEvent e) {
            if (!replayed) {
                return; // the replay, running or about to, reads it from the database
            }
            if (deployId == null ? !sentInReplay.remove(e.id()) : deployId == e.deployId() && e.id() > lastSent) {
                send(e);
            }
        }

        /** Sends one event; false once the stream is over. */
        private boolean send(DeployEvent e) {
            if (client.terminated()) {
                return false;
            }
            client.sendEvent("deploy", text(e), Long.toString(e.id()));
            lastSent = Math.max(lastSent, e.id());
            if (deployId != null && e.state().isFinal()) {
                Deploy deploy = deploys.find(deployId).orElse(null);
                if (deploy != null) {
                    client.sendEvent("end", text(deploy), Long.toString(e.id()));
                }
                client.close();
                return false;
            }
            return true;
        }

        synchronized void ping() {
            if (!client.terminated()) {
                client.sendComment("keep-alive");
            }
        }
    }

    private static String text(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }
}
