package dev.codedeploy;

/** A request cannot be done in the state things are in (cancel a finished deploy, deploy to a locked environment). */
public class ConflictException extends CodeDeployException {

    private final String code;

    /**
     * @param code    a stable code for clients, for example {@code already_finished}
     * @param message what is in the way and what to do
     */
    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The stable code. */
    public String code() {
        return code;
    }
}
