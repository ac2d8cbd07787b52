package hudson.model;

/**
 * Stand-in of jenkins-core's {@code hudson.model.Job}, present only as the type parameter of {@link Run}.
 *
 * @param <JobT> the job type
 * @param <RunT> its run type
 */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends AbstractItem {

    /** A job called {@code name} in {@code parent}. */
    @SuppressWarnings("rawtypes")
    protected Job(ItemGroup parent, String name) {
        super(parent, name);
    }
}
