package dev.codedeploy.client;

/** The server refused a request: {@link #error()} says why, with the HTTP status and the field at fault. */
public class ApiException extends CodeDeployClientException {

    private final transient ApiError error;

    /** The refusal {@code error}. */
    public ApiException(ApiError error) {
        super(error.message() + " (HTTP " + error.status() + " " + error.code() + (error.field() == null ? "" : ", field " + error.field()) + ")");
        this.error = error;
    }

    /** What the server said. */
    public ApiError error() {
        return error;
    }

    /** The HTTP status. */
    public int status() {
        return error.status();
    }

    /** True for a 4xx: the request was wrong, repeating it will not help. */
    public boolean isClientError() {
        return error.status() >= 400 && error.status() < 500;
    }
}
