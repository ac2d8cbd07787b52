package dev.codedeploy.api;

import dev.codedeploy.NotFoundException;
import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.client.ActionRequest;
import dev.codedeploy.client.Items;
import dev.codedeploy.client.Scope;
import dev.codedeploy.queue.CancelResult;
import dev.codedeploy.queue.CommitSha;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.PageRequest;
import dev.codedeploy.replication.gate.DeployGate;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/** {@code /api/v1/jobs} and {@code /api/v1/builds}: the queue, build logs, and each build's copy in every region. */
final class BuildRoutes {

    private static final int MAX_LOG_TAIL = 256 * 1024;

    private final JobQueue queue;
    private final DeployGate gate;
    private final BlobStore master;

    BuildRoutes(JobQueue queue, DeployGate gate, BlobStore master) {
        this.queue = queue;
        this.gate = gate;
        this.master = master;
    }

    void register(ApiRouter router) {
        router.get("/api/v1/jobs", Scope.READ, this::jobs);
        router.get("/api/v1/jobs/{id}", Scope.READ, ctx -> ctx.json(ApiViews.job(job(ctx))));
        router.get("/api/v1/jobs/{id}/log", Scope.READ, this::log);
        router.post("/api/v1/jobs/{id}/cancel", Scope.DEPLOY, this::cancel);
        router.get("/api/v1/builds", Scope.READ, this::builds);
        router.get("/api/v1/builds/{id}", Scope.READ, ctx -> ctx.json(build(job(ctx))));
    }

    private void jobs(Context ctx) {
        int limit = ApiRequests.limit(ctx, 50, PageRequest.MAX_SIZE);
        String status = ctx.queryParam("status");
        String sha = ctx.queryParam("sha");
        List<Job> jobs;
        if (sha != null && !sha.isBlank()) {
            if (!CommitSha.isValid(sha)) {
                throw new ApiException(400, "invalid_field", "sha", "sha '" + ApiRequests.abbreviate(sha) + "' is not 40 hex digits");
            }
            jobs = queue.findBySha(sha, PageRequest.first(limit));
        } else if (status != null && !status.isBlank()) {
            jobs = queue.findByStatus(status(status), PageRequest.first(limit));
        } else {
            jobs = queue.findRecent(PageRequest.first(limit));
        }
        ctx.json(new Items<>(jobs.stream().map(ApiViews::job).toList()));
    }

    private void log(Context ctx) throws IOException {
        Job job = job(ctx);
        int tail = (int) ApiRequests.longQuery(ctx, "tail", 64 * 1024, 1, MAX_LOG_TAIL);
        if (job.logKey() == null) {
            throw new NotFoundException("job " + job.id() + " has no build log yet (it is " + job.status() + "; the log is stored when"
                    + " its attempt ends)");
        }
        long size = master.head(job.logKey()).map(BlobInfo::size).orElseThrow(() ->
                new NotFoundException("the build log of job " + job.id() + " is gone from the master store"));
        try (InputStream in = master.open(job.logKey())) {
            in.skipNBytes(Math.max(0, size - tail));
            ctx.contentType("text/plain; charset=utf-8").result(in.readAllBytes());
        }
    }

    private void cancel(Context ctx) {
        Job job = job(ctx);
        ApiRequests.body(ctx, ActionRequest.class, false);
        CancelResult result = queue.cancel(job.id(), ApiRequests.identity(ctx).name());
        if (result == CancelResult.ALREADY_FINISHED) {
            throw new dev.codedeploy.ConflictException("already_finished", "job " + job.id() + " already ended " + job.status());
        }
        ctx.status(202).json(ApiViews.job(queue.find(job.id()).orElseThrow()));
    }

    private void builds(Context ctx) {
        int limit = ApiRequests.limit(ctx, 20, 100);
        ctx.json(new Items<>(queue.findByStatus(JobStatus.COMPLETED, PageRequest.first(limit)).stream().map(this::build).toList()));
    }

    private dev.codedeploy.client.Build build(Job job) {
        if (job.status() != JobStatus.COMPLETED) {
            throw new NotFoundException("job " + job.id() + " is " + job.status() + ": only a COMPLETED job is a build");
        }
        return ApiViews.build(job, gate.isDeployable(job.id()), gate.rows(job.id()));
    }

    private Job job(Context ctx) {
        long id = ApiRequests.id(ctx, "id");
        return queue.find(id).orElseThrow(() -> new NotFoundException("no job " + id));
    }

    private static JobStatus status(String text) {
        try {
            return JobStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_field", "status", "status '" + ApiRequests.abbreviate(text) + "' is not one of "
                    + List.of(JobStatus.values()));
        }
    }
}
