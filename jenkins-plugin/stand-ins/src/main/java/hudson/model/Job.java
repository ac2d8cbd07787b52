package hudson.model;

/**
 * Stand-in of jenkins-core's {@code hudson.model.Job}, present only as the type parameter of {@link Run}.
 *
 * @param <JobT> the job type
 * @param <RunT> its run type
 */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
}
