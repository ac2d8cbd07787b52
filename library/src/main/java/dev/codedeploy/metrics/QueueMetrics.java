package dev.codedeploy.metrics;

import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Gauges of the queue: jobs QUEUED and RUNNING (cheap index range counts; finished jobs are not counted, their
 * history grows without bound).
 */
public final class QueueMetrics implements MeterBinder {

    private final JobQueue queue;

    /** Metrics of {@code queue}. */
    public QueueMetrics(JobQueue queue) {
        this.queue = queue;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (JobStatus status : new JobStatus[] {JobStatus.QUEUED, JobStatus.RUNNING}) {
            Gauge.builder("codedeploy.jobs", queue, q -> safeCount(q, status))
                    .tag("status", status.name())
                    .description("build jobs in this status")
                    .register(registry);
        }
    }

    private static double safeCount(JobQueue queue, JobStatus status) {
        try {
            return queue.count(status);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
