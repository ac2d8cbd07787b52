package dev.codedeploy;

/** Receives the progress of a build or deploy (for a progress bar, a Jenkins log, an Action log). Called on the caller's thread. */
@FunctionalInterface
public interface DeployListener {

    /** A listener that ignores everything. */
    DeployListener NONE = event -> { };

    /** Called at each stage change and at each progress step. */
    void onEvent(DeployEvent event);
}
