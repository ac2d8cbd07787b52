package dev.codedeploy.client;

/**
 * The body of every 4xx and 5xx answer.
 *
 * @param status  the HTTP status
 * @param code    a stable, machine-readable code, for example {@code invalid_field} or {@code insufficient_scope}
 * @param field   the request field at fault (a body field, a path or query parameter, or a header), or null
 * @param message what was wrong and what is accepted, for people
 */
public record ApiError(int status, String code, String field, String message) {
}
