package dev.codedeploy.client;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines of one event-stream response, pushed by the HTTP client into a queue and taken by the follower's thread.
 * The follower waits on the queue, not on a socket: an interrupt or a deadline ends its wait at once (a blocking read of
 * the JDK's response stream may swallow an interrupt), and {@link #cancel()} then drops the connection.
 */
final class EventStreamLines implements Flow.Subscriber<String> {

    /** Marks the end of the body in the queue. */
    private static final Object END = new Object();

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile int status;
    private volatile boolean cancelled;
    /** An item taken by {@link #awaitStatus} and not yet given by {@link #next}. */
    private Object peeked;

    /** The body handler: notes the status, then passes every line of the body here. */
    HttpResponse.BodyHandler<Void> handler() {
        return info -> {
            status = info.statusCode();
            return HttpResponse.BodySubscribers.fromLineSubscriber(this);
        };
    }

    /**
     * Waits until the response's status is known (its first line, its end or its failure arrived).
     *
     * @throws DeadlineException    when the deadline passed first
     * @throws InterruptedException when the thread was interrupted
     */
    int awaitStatus(Instant deadline) throws IOException, InterruptedException {
        if (peeked == null) {
            peeked = take(deadline);
        }
        return status;
    }

    /** The exchange failed before a body (refused connection, timeout): the follower's wait ends with it. */
    void failed(Throwable error) {
        items.add(error);
    }

    /**
     * The next line of the body, waiting until {@code deadline}.
     *
     * @return the line, or null at the end of the body
     * @throws DeadlineException    when the deadline passed first
     * @throws IOException          when the connection failed
     * @throws InterruptedException when the thread was interrupted
     */
    String next(Instant deadline) throws IOException, InterruptedException {
        Object item = peeked == null ? take(deadline) : peeked;
        peeked = null;
        if (item == END) {
            items.add(END);
            return null;
        }
        if (item instanceof Throwable error) {
            items.add(error);
            throw error instanceof IOException io ? io : new IOException(error.getMessage(), error);
        }
        return (String) item;
    }

    private Object take(Instant deadline) throws InterruptedException, DeadlineException {
        long waitMillis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        Object item = items.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new DeadlineException();
        }
        return item;
    }

    /** Drops the connection; the follower reads no more. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            // the server sends small events and a keep-alive now and then: no need to hold it back
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(String line) {
        items.add(line);
    }

    @Override
    public void onError(Throwable error) {
        items.add(error);
    }

    @Override
    public void onComplete() {
        items.add(END);
    }

    /** The follow's time is up while the stream is open. */
    static final class DeadlineException extends IOException {
        DeadlineException() {
            super("the follow's time is up");
        }
    }
}
