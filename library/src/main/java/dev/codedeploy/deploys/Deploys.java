package dev.codedeploy.deploys;

import dev.codedeploy.ConflictException;
import dev.codedeploy.InvalidFieldException;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.NotFoundException;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.config.DefaultsConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.queue.CommitSha;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.RepositoryUrl;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Deploys as callers see them: request one (checked at the boundary: nothing is stored when anything is wrong), read,
 * list, cancel, and read the history. A {@link DeployConductor} does the work; this class only records what is asked.
 */
public final class Deploys {

    /** The most a list returns. */
    public static final int MAX_LIMIT = 500;

    private static final int MAX_REASON = 1000;

    private final DeployStore store;
    private final JobQueue queue;
    private final DeploysConfig config;
    private final Set<String> environments;
    private final DefaultsConfig defaults;
    private final Function<String, Optional<String>> locks;

    /**
     * @param environments the environments a deploy may name
     * @param locks        what holds an environment now (a lock or freeze, described), checked at request time
     */
    public Deploys(Database database, DeploysConfig config, Set<String> environments, DefaultsConfig defaults,
                   Function<String, Optional<String>> locks) {
        this.store = new DeployStore(database);
        this.queue = new JobQueue(database, QueueConfig.DEFAULTS);
        this.config = config;
        this.environments = Set.copyOf(new TreeSet<>(environments));
        this.defaults = defaults;
        this.locks = locks;
    }

    /** The environments a deploy may name, sorted. */
    public Set<String> environments() {
        return new TreeSet<>(environments);
    }

    /**
     * Records a deploy request; a conductor takes it from there.
     *
     * @param requestedBy the requester (a token's name)
     * @throws InvalidFieldException naming the field at fault; nothing is stored then
     * @throws ConflictException     when the environment is locked or frozen ({@code environment_locked})
     */
    public Deploy create(CreateDeploy request, String requestedBy) {
        if (request == null) {
            throw new InvalidFieldException("body", "a deploy request needs a body: {\"sha\": \"<40 hex digits>\", ...}");
        }
        String sha = field("sha", () -> CommitSha.validate(request.sha()));
        String environment = environment(request.environment());
        String repo = request.repository() != null ? field("repository", () -> RepositoryUrl.validate(request.repository()))
                : defaults.repoUrl();
        if (repo == null) {
            throw new InvalidFieldException("repository", "repository is missing and the server has no defaults.repoUrl: give the"
                    + " repository's URL");
        }
        String reason = reason(request.reason());
        Duration timeout = timeout(request.timeoutSeconds());
        locks.apply(environment).ifPresent(lock -> {
            throw new ConflictException("environment_locked", environment + " is " + lock + "; nothing was requested: unlock it first");
        });
        DeployMapper.NewDeploy row = new DeployMapper.NewDeploy();
        row.environment = environment;
        row.sha = sha;
        row.repoUrl = repo;
        row.requestedBy = requester(requestedBy);
        row.reason = reason;
        row.timeoutMicros = timeout.toNanos() / 1000;
        long id = store.insert(row, "deploy of " + sha + " to " + environment + " requested by " + row.requestedBy
                + (reason == null ? "" : " (" + reason + ")"));
        return get(id);
    }

    /** The deploy {@code id}. */
    public Optional<Deploy> find(long id) {
        return store.find(id).map(DeployViews::toDeploy);
    }

    /**
     * The deploy {@code id}.
     *
     * @throws NotFoundException when there is none
     */
    public Deploy get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("no deploy " + id));
    }

    /**
     * Deploys, newest first.
     *
     * @param environment only this one, or null
     * @param activeOnly  only unfinished ones
     * @param beforeId    only older than this id (the next page), or null
     * @param limit       1 to {@link #MAX_LIMIT}
     */
    public List<Deploy> recent(String environment, boolean activeOnly, Long beforeId, int limit) {
        return store.recent(environment, activeOnly, beforeId, limit).stream().map(DeployViews::toDeploy).toList();
    }

    /**
     * Cancels a deploy: at once when no conductor holds it yet, else its conductor stops it at its next step (a
     * rollout in progress is rolled back, or paused when there is nothing to go back to). A build it queued and that no
     * other deploy waits for is cancelled here already, so that it stops even while no conductor runs.
     *
     * @throws NotFoundException when there is no such deploy
     * @throws ConflictException when it already ended ({@code already_finished})
     */
    public Deploy cancel(long id, String by) {
        String who = requester(by);
        if (!store.cancelUnclaimed(id, who) && !store.requestCancel(id, who)) {
            Deploy deploy = get(id);
            if (deploy.isFinal()) {
                throw new ConflictException("already_finished", "deploy " + id + " already ended " + deploy.state() + ": nothing to cancel");
            }
        }
        store.find(id).filter(r -> r.state() == DeployState.BUILDING && r.ownJob() && r.jobId() != null)
                .filter(r -> store.otherUsersOf(r.jobId(), id) == 0)
                .ifPresent(r -> queue.cancel(r.jobId(), "deploy " + id + " cancelled by " + who));
        return get(id);
    }

    /** The deploy's events after {@code afterId}, oldest first. */
    public List<DeployEvent> events(long deployId, long afterId, int limit) {
        return store.events(deployId, afterId, limit);
    }

    /** Events of every deploy after {@code afterId}, oldest first. */
    public List<DeployEvent> allEventsAfter(long afterId, int limit) {
        return store.allEventsAfter(afterId, limit);
    }

    /** The newest event id of all. */
    public long lastEventId() {
        return store.lastEventId();
    }

    /** The deploys publishing or rolling out to {@code environment}, oldest first. */
    public List<Deploy> rollingOut(String environment) {
        return store.rollingOut(environment).stream().map(DeployViews::toDeploy).toList();
    }

    private String environment(String requested) {
        String environment = requested == null || requested.isBlank() ? defaults.environment() : requested.trim();
        if (!environments.contains(environment)) {
            throw new InvalidFieldException("environment", "environment '" + abbreviate(environment) + "' is unknown to this server;"
                    + " known: " + environments());
        }
        return environment;
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String oneLine = reason.strip();
        if (oneLine.length() > MAX_REASON || oneLine.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
            throw new InvalidFieldException("reason", "reason must be one line of at most " + MAX_REASON + " printable characters");
        }
        return oneLine;
    }

    private Duration timeout(Long seconds) {
        if (seconds == null) {
            return config.timeout();
        }
        if (seconds < 1 || seconds > config.maxTimeout().toSeconds()) {
            throw new InvalidFieldException("timeoutSeconds", "timeoutSeconds must be 1 to " + config.maxTimeout().toSeconds()
                    + " (deploys.maxTimeout), got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    private static String requester(String name) {
        if (name == null || name.isBlank() || name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("the requester must be 1 to 255 printable characters");
        }
        return name.strip();
    }

    private static String field(String name, java.util.function.Supplier<String> check) {
        try {
            return check.get();
        } catch (InvalidFieldException e) {
            throw e;
        } catch (InvalidInputException e) {
            throw new InvalidFieldException(name, e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 64 ? printable.substring(0, 61) + "..." : printable;
    }
}
