package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

/**
 * Stand-in of workflow-step-api's {@code Step}: the configuration of one step; {@link #start} makes the execution of
 * one call.
 */
public abstract class Step extends AbstractDescribableImpl<Step> implements ExtensionPoint {

    /** Starts one execution of this step in {@code context}. */
    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        return (StepDescriptor) super.getDescriptor();
    }
}
