package dev.codedeploy.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Sends github-api's requests through another connector, correcting one thing on the way: github-api (1.330) writes
 * every enum value in lowercase with '_' turned into '-', so {@code GHDeploymentState.IN_PROGRESS} leaves as
 * {@code "in-progress"}, while GitHub's REST API names the state {@code in_progress}. Only the body of a POST to
 * {@code .../deployments/{id}/statuses} is touched.
 */
final class StatusStateConnector implements GitHubConnector {

    private static final Pattern STATUSES_PATH = Pattern.compile(".*/deployments/\\d+/statuses/?");
    private static final Pattern HYPHENATED_STATE = Pattern.compile("(\"state\"\\s*:\\s*\")in-progress\"");

    private final GitHubConnector delegate;

    StatusStateConnector(GitHubConnector delegate) {
        this.delegate = delegate;
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        if (!"POST".equals(request.method()) || !STATUSES_PATH.matcher(request.url().getPath()).matches() || request.body() == null) {
            return delegate.send(request);
        }
        String body;
        try (InputStream in = request.body()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String fixed = HYPHENATED_STATE.matcher(body).replaceAll("$1in_progress\"");
        return delegate.send(new WithBody(request, fixed.getBytes(StandardCharsets.UTF_8)));
    }

    /** The same request with another body. */
    private record WithBody(GitHubConnectorRequest request, byte[] bytes) implements GitHubConnectorRequest {

        @Override
        public String method() {
            return request.method();
        }

        @Override
        public Map<String, List<String>> allHeaders() {
            return request.allHeaders();
        }

        @Override
        public String header(String name) {
            return request.header(name);
        }

        @Override
        public String contentType() {
            return request.contentType();
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public URL url() {
            return request.url();
        }

        @Override
        public boolean hasBody() {
            return true;
        }
    }
}
