package dev.codedeploy.api;

import dev.codedeploy.client.Items;
import dev.codedeploy.client.Scope;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import dev.codedeploy.rollout.RolloutControlPlane;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/environments/{env}/waves} and {@code /hosts}: an environment's hosts counted per wave and state, and
 * paged worst first, so that a viewer of a region of 50,000 hosts gets counts and asks for hosts only when it wants
 * them. Both read the control plane's caches (see {@link HostViews}).
 */
final class HostRoutes {

    private final Deploys deploys;
    private final RolloutControlPlane plane;

    HostRoutes(Deploys deploys, RolloutControlPlane plane) {
        this.deploys = deploys;
        this.plane = plane;
    }

    void register(ApiRouter router) {
        router.get("/api/v1/environments/{env}/waves", Scope.READ, ctx -> {
            String environment = ApiRequests.environment(ctx, deploys.environments());
            ctx.json(new Items<>(HostViews.waves(plane.release(environment).orElse(null), plane.hosts(environment))));
        });
        router.get("/api/v1/environments/{env}/hosts", Scope.READ, this::hosts);
    }

    private void hosts(Context ctx) {
        String environment = ApiRequests.environment(ctx, deploys.environments());
        Release release = plane.release(environment).orElse(null);
        Map<String, List<HostStatus>> byRegion = plane.hosts(environment);
        String region = ctx.queryParam("region");
        if (region != null && !region.isBlank() && !byRegion.containsKey(region)) {
            throw new ApiException(400, "invalid_field", "region", "region '" + ApiRequests.abbreviate(region) + "' is not one of "
                    + byRegion.keySet());
        }
        String state = ctx.queryParam("state");
        if (state != null && !state.isBlank()) {
            state = state.trim().toUpperCase(Locale.ROOT);
            if (!HostViews.states().contains(state)) {
                throw new ApiException(400, "invalid_field", "state", "state '" + ApiRequests.abbreviate(ctx.queryParam("state"))
                        + "' is not one of " + HostViews.states());
            }
        }
        int waves = release == null ? 0 : release.waves().size();
        int wave = (int) ApiRequests.longQuery(ctx, "wave", 0, 0, Math.max(waves, 0));
        HostViews.Query query = new HostViews.Query(region == null || region.isBlank() ? null : region, state == null || state.isBlank() ? null
                : state, wave, (int) ApiRequests.longQuery(ctx, "offset", 0, 0, 1_000_000), ApiRequests.limit(ctx, 50, HostViews.MAX_LIMIT));
        ctx.json(HostViews.page(release, byRegion, query));
    }
}
