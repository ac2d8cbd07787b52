package dev.codedeploy.client;

/**
 * Who a token is: {@code GET /api/v1/whoami}.
 *
 * @param name  the token's name, recorded as the requester and in the audit
 * @param scope what it may do
 */
public record Identity(String name, Scope scope) {
}
