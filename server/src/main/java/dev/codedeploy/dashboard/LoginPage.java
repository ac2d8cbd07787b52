package dev.codedeploy.dashboard;

/**
 * What the login page is rendered with ({@code login.jte}).
 *
 * @param error  why the last attempt was refused, or null
 * @param nonce  the form's one-time value, matched against its cookie when the form comes back
 * @param assets the styles
 */
public record LoginPage(String error, String nonce, Assets assets) {
}
