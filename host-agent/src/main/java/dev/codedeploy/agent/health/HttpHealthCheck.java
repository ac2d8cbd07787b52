package dev.codedeploy.agent.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Healthy when a GET of the URL answers 2xx within its timeout. */
public final class HttpHealthCheck implements HealthCheck {

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    /** Checks {@code url}, each attempt bounded by {@code timeout}. */
    public HttpHealthCheck(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Result attempt() {
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return new Result(status >= 200 && status < 300, "GET " + url + " answered " + status);
        } catch (IOException e) {
            return new Result(false, "GET " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "GET " + url + " interrupted");
        }
    }

    @Override
    public String describe() {
        return "GET " + url;
    }
}
