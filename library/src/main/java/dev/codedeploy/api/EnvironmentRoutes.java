package dev.codedeploy.api;

import dev.codedeploy.InvalidFieldException;
import dev.codedeploy.client.ActionRequest;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.Items;
import dev.codedeploy.client.Rollout;
import dev.codedeploy.client.Scope;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutDriver;
import io.javalin.http.Context;
import java.util.function.BiConsumer;

/**
 * {@code /api/v1/environments}: each environment's rollout (release, lock, waves, hosts by state per region), its
 * audit history, and the operators' actions on it. Every action is audited under the token's name.
 */
final class EnvironmentRoutes {

    private final Deploys deploys;
    private final RolloutControlPlane plane;

    EnvironmentRoutes(Deploys deploys, RolloutControlPlane plane) {
        this.deploys = deploys;
        this.plane = plane;
    }

    void register(ApiRouter router) {
        router.get("/api/v1/environments", Scope.READ,
                ctx -> ctx.json(new Items<>(deploys.environments().stream().map(this::rollout).toList())));
        router.get("/api/v1/environments/{env}", Scope.READ, ctx -> ctx.json(rollout(environment(ctx))));
        router.get("/api/v1/environments/{env}/history", Scope.READ, ctx -> ctx.json(new Items<>(plane.history()
                .recent(environment(ctx), ApiRequests.limit(ctx, 50, 500)).stream().map(ApiViews::audit).toList())));
        action(router, "pause", Scope.DEPLOY, false, (env, req) -> plane.pause(env.name(), env.by()));
        action(router, "resume", Scope.DEPLOY, false, (env, req) -> plane.resume(env.name(), env.by()));
        action(router, "rollback", Scope.DEPLOY, true, (env, req) -> plane.rollback(env.name(), env.by(), req.reason()));
        action(router, "lock", Scope.ADMIN, true, (env, req) -> {
            if (req.until() == null) {
                plane.locks().lock(env.name(), env.by(), req.reason());
            } else {
                plane.locks().freeze(env.name(), env.by(), req.reason(), req.until());
            }
        });
        action(router, "unlock", Scope.ADMIN, false, (env, req) -> {
            if (!plane.locks().unlock(env.name(), env.by())) {
                throw new dev.codedeploy.ConflictException("not_locked", env.name() + " is not locked");
            }
        });
    }

    /** The environment and who acts on it. */
    private record Target(String name, String by) {
    }

    private void action(ApiRouter router, String name, Scope scope, boolean needsReason, BiConsumer<Target, ActionRequest> act) {
        router.post("/api/v1/environments/{env}/" + name, scope, ctx -> {
            String environment = environment(ctx);
            ActionRequest request = ApiRequests.body(ctx, ActionRequest.class, needsReason);
            if (request == null) {
                request = new ActionRequest(null, null);
            }
            if (needsReason && (request.reason() == null || request.reason().isBlank())) {
                throw new InvalidFieldException("reason", name + " needs a reason, recorded in the audit");
            }
            if (request.until() != null && !name.equals("lock")) {
                throw new InvalidFieldException("until", "until is for lock only (a freeze window)");
            }
            act.accept(new Target(environment, ApiRequests.identity(ctx).name()), request);
            ctx.json(rollout(environment));
        });
    }

    private Rollout rollout(String environment) {
        RolloutDriver driver = plane.driver();
        Long active = deploys.rollingOut(environment).stream().map(Deploy::id).findFirst().orElse(null);
        return ApiViews.rollout(plane.status(environment), plane.locks().current(environment).orElse(null),
                driver == null ? null : driver.lastReason(environment), active);
    }

    private String environment(Context ctx) {
        return ApiRequests.environment(ctx, deploys.environments());
    }
}
