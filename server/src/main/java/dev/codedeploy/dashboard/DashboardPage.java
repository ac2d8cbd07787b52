package dev.codedeploy.dashboard;

import java.time.Instant;

/**
 * What the dashboard's page is rendered with ({@code dashboard.jte}).
 *
 * @param name      who is logged in (the token's name)
 * @param scope     the token's scope, lower case
 * @param csrf      the session's CSRF token, sent with every change
 * @param canDeploy the scope allows cancel, pause, resume and roll back: their buttons are on the page
 * @param canAdmin  the scope allows lock and unlock
 * @param expiresAt when the session ends
 * @param assets    the scripts and styles
 */
public record DashboardPage(String name, String scope, String csrf, boolean canDeploy, boolean canAdmin, Instant expiresAt, Assets assets) {
}
