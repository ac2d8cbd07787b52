package dev.codedeploy.deploys;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.RegionCounts;
import dev.codedeploy.client.StageTiming;
import dev.codedeploy.client.StageTiming.Stage;
import dev.codedeploy.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns rows of {@code deploys} into the API's {@link Deploy}, its stage timings taken from the database clock. */
final class DeployViews {

    private static final TypeReference<List<RegionCounts>> REGIONS = new TypeReference<>() { };

    private DeployViews() {
    }

    static Deploy toDeploy(DeployRow r) {
        return new Deploy(r.id(), r.environment(), r.sha(), r.repoUrl(), r.requestedBy(), r.reason(), r.state(), r.jobId(),
                r.releaseVersion(), r.supersededBy(), r.cancelRequested(), r.timedOut(), r.error(), r.message(), r.createdAt(),
                r.updatedAt(), r.deadlineAt(), r.finishedAt(), r.artifactSha256(), r.artifactSize(), timings(r), regions(r.regions()),
                r.lastEventId(), r.conductor());
    }

    /**
     * The stages the deploy went through: QUEUED until its build's worker started (the whole time before replication
     * when a finished build was reused), BUILDING until replication, then REPLICATING, PUBLISHING and ROLLING_OUT. A
     * stage still running ends at the read's time and has no end.
     */
    static List<StageTiming> timings(DeployRow r) {
        Instant buildEnd = firstOf(r.replicatingAt(), r.finishedAt());
        Instant buildStart = null;
        if (r.buildingAt() != null && r.jobStartedAt() != null) {
            buildStart = r.jobStartedAt().isBefore(r.createdAt()) ? r.createdAt() : r.jobStartedAt();
            if (buildEnd != null && buildStart.isAfter(buildEnd)) {
                buildStart = buildEnd;
            }
        }
        List<StageTiming> out = new ArrayList<>();
        add(out, Stage.QUEUED, r.createdAt(), firstOf(buildStart, buildEnd), r.readAt());
        add(out, Stage.BUILDING, buildStart, buildEnd, r.readAt());
        add(out, Stage.REPLICATING, r.replicatingAt(), firstOf(r.publishingAt(), r.finishedAt()), r.readAt());
        add(out, Stage.PUBLISHING, r.publishingAt(), firstOf(r.rollingOutAt(), r.finishedAt()), r.readAt());
        add(out, Stage.ROLLING_OUT, r.rollingOutAt(), r.finishedAt(), r.readAt());
        return out;
    }

    private static void add(List<StageTiming> out, Stage stage, Instant start, Instant end, Instant now) {
        if (start == null) {
            return;
        }
        Instant until = end != null ? end : now;
        long millis = Math.max(0, Duration.between(start, until).toMillis());
        out.add(new StageTiming(stage, start, end, millis));
    }

    private static Instant firstOf(Instant a, Instant b) {
        return a != null ? a : b;
    }

    static List<RegionCounts> regions(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue(json, REGIONS);
        } catch (IOException e) {
            return List.of();
        }
    }

    static String regionsJson(List<RegionCounts> regions) {
        return new String(Json.write(regions), java.nio.charset.StandardCharsets.UTF_8);
    }
}
