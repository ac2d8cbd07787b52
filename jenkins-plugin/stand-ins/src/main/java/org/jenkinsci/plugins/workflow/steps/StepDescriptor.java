package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Set;

/** Stand-in of workflow-step-api's {@code StepDescriptor}: the members the plugin uses. */
public abstract class StepDescriptor extends Descriptor<Step> {

    /** The context types the step cannot run without (Pipeline checks them before it starts the step). */
    public abstract Set<? extends Class<?>> getRequiredContext();

    /** The name the step has in a Pipeline script. */
    public abstract String getFunctionName();

    /** True when the step takes a block; false here. */
    public boolean takesImplicitBlockArgument() {
        return false;
    }
}
