package dev.codedeploy;

/** What a request names (a deploy, a job, a build, an environment) does not exist. */
public class NotFoundException extends CodeDeployException {

    /** The message names what was looked for. */
    public NotFoundException(String message) {
        super(message);
    }
}
