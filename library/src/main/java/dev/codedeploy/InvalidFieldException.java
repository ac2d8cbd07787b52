package dev.codedeploy;

/** Input rejected at the boundary because of one named field (a request body's field, a query parameter, a header). */
public class InvalidFieldException extends InvalidInputException {

    private final String field;

    /** A rejection of {@code field}, whose message names the value and what is accepted. */
    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault. */
    public String field() {
        return field;
    }
}
