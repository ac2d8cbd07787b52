package org.jenkinsci.plugins.workflow.steps;

import java.io.IOException;

/**
 * Stand-in of workflow-step-api's {@code SynchronousResumeNotSupportedException}: the failure of a synchronous step
 * whose execution was loaded again after a controller restart, with the real message.
 */
public class SynchronousResumeNotSupportedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The failure of the step running in {@code context}, named by its function name. */
    public SynchronousResumeNotSupportedException(StepContext context) {
        super(String.format("""
            The Pipeline step `%s` cannot be resumed after a controller restart. \
            In Scripted syntax, you may wrap its containing `node` block within `retry(conditions: [nonresumable()], count: 2) {...}`, \
            or, in Declarative syntax, use the `retries` option to an `agent` directive to allow the stage to be retried.""",
                functionName(context)));
    }

    private static String functionName(StepContext context) {
        StepDescriptor descriptor = null;
        try {
            descriptor = context.get(StepDescriptor.class);
        } catch (IOException | InterruptedException e) {
            // as in the real class: the name is only for the message
        }
        return descriptor != null ? descriptor.getFunctionName() : "?";
    }
}
