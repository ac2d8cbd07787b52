package dev.codedeploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code deploy:} section of a repository's {@code .codedeploy.yml}, as the host agent reads it from
 * {@link Release#deploy()}:
 *
 * <pre>
 * deploy:
 *   hooks:
 *     beforeActivate: [bin/migrate, --check]   # in the new release folder, before `current` switches; failure: no switch
 *     afterActivate: [bin/app, --restart]      # in the new release folder, after the switch; failure: switch back
 *     timeout: 5m                              # per hook (default 5m)
 *   healthCheck:
 *     command: [bin/app, --health]             # exit 0 is healthy; or instead:
 *     url: http://127.0.0.1:8080/health        # a 2xx answer is healthy
 *     timeout: 10s                             # per attempt (default 10s)
 *     retries: 3                               # attempts after the first failed one (default 3)
 *     interval: 2s                             # pause between attempts (default 2s)
 * </pre>
 *
 * A command is a list of arguments, run without a shell; a first argument with a '/' that is not absolute is taken
 * relative to the release folder. Every section is optional: without a health check a switch is healthy when its
 * hooks succeed.
 *
 * @param hooks       the hooks
 * @param healthCheck the health check, or null
 */
public record DeploySpec(Hooks hooks, HealthCheck healthCheck) {

    /** No hooks and no health check. */
    public static final DeploySpec NONE = new DeploySpec(Hooks.NONE, null);

    private static final Set<String> TOP = Set.of("hooks", "healthCheck");
    private static final Set<String> HOOK_FIELDS = Set.of("beforeActivate", "afterActivate", "timeout");
    private static final Set<String> HEALTH_FIELDS = Set.of("command", "url", "timeout", "retries", "interval");
    private static final int MAX_RETRIES = 100;

    /**
     * Commands run around the switch.
     *
     * @param beforeActivate argv run before {@code current} switches, or empty
     * @param afterActivate  argv run after it switched, or empty
     * @param timeout        the longest a hook may run
     */
    public record Hooks(List<String> beforeActivate, List<String> afterActivate, Duration timeout) {

        /** No hooks. */
        public static final Hooks NONE = new Hooks(List.of(), List.of(), Duration.ofMinutes(5));

        public Hooks {
            beforeActivate = beforeActivate == null ? List.of() : List.copyOf(beforeActivate);
            afterActivate = afterActivate == null ? List.of() : List.copyOf(afterActivate);
            timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
        }
    }

    /**
     * How the agent decides that a switched host is healthy: a command or an HTTP URL.
     *
     * @param command  argv whose exit code 0 means healthy, or empty when {@code url} is set
     * @param url      an http(s) URL whose 2xx answer means healthy, or null
     * @param timeout  the longest one attempt may take
     * @param retries  attempts after the first failed one
     * @param interval the pause between attempts
     */
    public record HealthCheck(List<String> command, URI url, Duration timeout, int retries, Duration interval) {

        public HealthCheck {
            command = command == null ? List.of() : List.copyOf(command);
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
            interval = interval == null ? Duration.ofSeconds(2) : interval;
        }

        /** Attempts in all: the first one and its retries. */
        public int attempts() {
            return retries + 1;
        }
    }

    public DeploySpec {
        hooks = hooks == null ? Hooks.NONE : hooks;
    }

    /**
     * Reads the section; null or a JSON null is {@link #NONE}.
     *
     * @throws InvalidInputException naming the field that is wrong and what is accepted
     */
    public static DeploySpec parse(JsonNode deploy) {
        if (deploy == null || deploy.isNull() || deploy.isMissingNode()) {
            return NONE;
        }
        requireObject(deploy, "deploy");
        rejectUnknown(deploy, TOP, "deploy.");
        return new DeploySpec(hooks(deploy.get("hooks")), healthCheck(deploy.get("healthCheck")));
    }

    private static Hooks hooks(JsonNode node) {
        if (node == null || node.isNull()) {
            return Hooks.NONE;
        }
        requireObject(node, "deploy.hooks");
        rejectUnknown(node, HOOK_FIELDS, "deploy.hooks.");
        return new Hooks(argv(node.get("beforeActivate"), "deploy.hooks.beforeActivate"),
                argv(node.get("afterActivate"), "deploy.hooks.afterActivate"),
                duration(node.get("timeout"), "deploy.hooks.timeout"));
    }

    private static HealthCheck healthCheck(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        requireObject(node, "deploy.healthCheck");
        rejectUnknown(node, HEALTH_FIELDS, "deploy.healthCheck.");
        List<String> command = argv(node.get("command"), "deploy.healthCheck.command");
        URI url = url(node.get("url"));
        if (command.isEmpty() == (url == null)) {
            throw new InvalidInputException("deploy.healthCheck needs exactly one of command (a list of arguments) or url (http or https)");
        }
        int retries = 3;
        JsonNode r = node.get("retries");
        if (r != null && !r.isNull()) {
            if (!r.canConvertToInt() || !r.isIntegralNumber() || r.asInt() < 0 || r.asInt() > MAX_RETRIES) {
                throw new InvalidInputException("deploy.healthCheck.retries is '" + r.asText() + "': give a whole number from 0 to " + MAX_RETRIES);
            }
            retries = r.asInt();
        }
        return new HealthCheck(command, url, duration(node.get("timeout"), "deploy.healthCheck.timeout"), retries,
                duration(node.get("interval"), "deploy.healthCheck.interval"));
    }

    private static List<String> argv(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new InvalidInputException(field + " must be a non-empty list of arguments such as [bin/app, --health]");
        }
        List<String> args = new ArrayList<>();
        for (JsonNode arg : node) {
            if (!arg.isValueNode() || arg.isNull() || arg.asText().indexOf('\0') >= 0) {
                throw new InvalidInputException(field + " must be a list of strings without NUL characters");
            }
            args.add(arg.asText());
        }
        if (args.get(0).isBlank()) {
            throw new InvalidInputException(field + " starts with an empty program name");
        }
        return args;
    }

    private static URI url(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            URI uri = URI.create(node.asText());
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http or https URL with a host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("deploy.healthCheck.url '" + node.asText() + "' is not usable: give an http or https URL, such as http://127.0.0.1:8080/health");
        }
    }

    private static Duration duration(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            Duration d = Durations.parse(node.asText());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("it must be positive");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field + ": " + e.getMessage());
        }
    }

    private static void requireObject(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new InvalidInputException(field + " must be a mapping, not " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidInputException("unknown field '" + prefix + name + "'; accepted: "
                        + known.stream().sorted().map(k -> prefix + k).toList());
            }
        }
    }
}
