package dev.codedeploy.api;

import dev.codedeploy.client.ActionRequest;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.Items;
import dev.codedeploy.client.Scope;
import dev.codedeploy.deploys.Deploys;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;

/** {@code /api/v1/deploys}: request, read, list, cancel and follow deploys; {@code /api/v1/events/stream}: all of them. */
final class DeployRoutes {

    private final Deploys deploys;
    private final DeployEventFeed feed;

    DeployRoutes(Deploys deploys, DeployEventFeed feed) {
        this.deploys = deploys;
        this.feed = feed;
    }

    void register(ApiRouter router) {
        router.post("/api/v1/deploys", Scope.DEPLOY, this::create);
        router.get("/api/v1/deploys", Scope.READ, this::list);
        router.get("/api/v1/deploys/{id}", Scope.READ, ctx -> ctx.json(deploys.get(ApiRequests.id(ctx, "id"))));
        router.post("/api/v1/deploys/{id}/cancel", Scope.DEPLOY, this::cancel);
        router.get("/api/v1/deploys/{id}/events", Scope.READ, this::events);
        router.stream("/api/v1/deploys/{id}/events/stream", Scope.READ, this::stream);
        router.stream("/api/v1/events/stream", Scope.READ, this::streamAll);
    }

    private void create(Context ctx) {
        CreateDeploy request = ApiRequests.body(ctx, CreateDeploy.class, true);
        Deploy deploy = deploys.create(request, ApiRequests.identity(ctx).name());
        ctx.status(201).header("Location", "/api/v1/deploys/" + deploy.id()).json(deploy);
    }

    private void list(Context ctx) {
        String environment = ctx.queryParam("environment");
        Long before = ctx.queryParam("before") == null ? null : ApiRequests.longQuery(ctx, "before", 0, 1, Long.MAX_VALUE);
        ctx.json(new Items<>(deploys.recent(environment == null || environment.isBlank() ? null : environment,
                ApiRequests.flag(ctx, "active"), before, ApiRequests.limit(ctx, 50, Deploys.MAX_LIMIT))));
    }

    private void cancel(Context ctx) {
        long id = ApiRequests.id(ctx, "id");
        ApiRequests.body(ctx, ActionRequest.class, false);
        ctx.status(202).json(deploys.cancel(id, ApiRequests.identity(ctx).name()));
    }

    private void events(Context ctx) {
        long id = ApiRequests.id(ctx, "id");
        deploys.get(id);
        long after = ApiRequests.longQuery(ctx, "after", 0, 0, Long.MAX_VALUE);
        ctx.json(new Items<>(deploys.events(id, after, ApiRequests.limit(ctx, Deploys.MAX_LIMIT, Deploys.MAX_LIMIT))));
    }

    private void stream(Context ctx) throws Exception {
        long id = ApiRequests.id(ctx, "id");
        deploys.get(id);
        long after = lastEventId(ctx);
        new SseHandler(0L, client -> feed.subscribe(client, id, after)).handle(ctx);
    }

    private void streamAll(Context ctx) throws Exception {
        long after = ctx.header("Last-Event-ID") == null && ctx.queryParam("after") == null ? deploys.lastEventId() : lastEventId(ctx);
        new SseHandler(0L, client -> feed.subscribe(client, null, after)).handle(ctx);
    }

    /** Where a follower resumes: the {@code Last-Event-ID} header (a reconnecting EventSource), else {@code ?after=}, else 0. */
    private static long lastEventId(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            try {
                long id = Long.parseLong(header.trim());
                if (id >= 0) {
                    return id;
                }
            } catch (NumberFormatException ignored) {
                // refused below
            }
            throw new ApiException(400, "invalid_field", "Last-Event-ID", "Last-Event-ID '" + ApiRequests.abbreviate(header)
                    + "' must be a non-negative integer (an event id)");
        }
        return ApiRequests.longQuery(ctx, "after", 0, 0, Long.MAX_VALUE);
    }
}
