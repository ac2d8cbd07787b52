package dev.codedeploy.replication.gate;

import dev.codedeploy.CodeDeployException;

/** The quorum override of the deploy gate is off, or too few regions hold the build; nothing was recorded. */
public class GateOverrideRefusedException extends CodeDeployException {

    /** A refusal saying why. */
    public GateOverrideRefusedException(String message) {
        super(message);
    }
}
