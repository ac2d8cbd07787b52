package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.IOException;

/**
 * Stand-in of jenkins-core's {@code hudson.model.Run}: one build of a job.
 *
 * @param <JobT> the job type
 * @param <RunT> the run type
 */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {

    protected transient final JobT project;

    /** A run of {@code job}. */
    protected Run(@NonNull JobT job) throws IOException {
        this.project = job;
    }

    /**
     * The run's identifier unique in the system, {@code folder/job#12}. The stand-in has no job names: a test run
     * overrides this.
     */
    @NonNull
    public String getExternalizableId() {
        throw new UnsupportedOperationException("stand-in Run: override getExternalizableId()");
    }
}
