package dev.codedeploy.jenkins;

import dev.codedeploy.client.CodeDeployClient;
import hudson.AbortException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The step's way to the codedeploy server: the URL of the global configuration and an API token, from the step's own
 * {@code credentialsId} (looked up as the build) or else from the global configuration's (looked up as the system).
 * This is all the step holds: the server keeps the database, store and ZooKeeper credentials and the signing key.
 */
final class ServerConnection {

    /** Written when nothing says where the server is. */
    static final String NOT_CONFIGURED = "codeDeploy: codedeploy is not configured: set the server URL and the token credentials"
            + " under Manage Jenkins › System › codedeploy";

    private ServerConnection() {
    }

    /**
     * A client of the configured server with the token that applies to this call.
     *
     * @param stepCredentialsId the step's own token credentials (looked up as the build), or null for the global ones
     *                          (looked up as the system)
     * @throws AbortException naming what is missing or wrong
     */
    static CodeDeployClient open(CodeDeployGlobalConfiguration settings, String stepCredentialsId, CredentialSource systemCredentials,
                                 CredentialSource buildCredentials) throws AbortException {
        URI server = serverUrl(settings.getServerUrl());
        String token;
        if (stepCredentialsId != null) {
            token = buildCredentials.token(stepCredentialsId, "the step's codedeploy token");
        } else if (settings.getCredentialsId() != null) {
            token = systemCredentials.token(settings.getCredentialsId(), "the codedeploy token of the global configuration");
        } else {
            throw new AbortException("codeDeploy: no codedeploy token: set the token credentials under Manage Jenkins › System ›"
                    + " codedeploy, or give the step a credentialsId");
        }
        try {
            return CodeDeployClient.create(server, token);
        } catch (IllegalArgumentException e) {
            // the token's own text is never part of the message
            throw new AbortException("codeDeploy: the codedeploy token is not usable: " + e.getMessage());
        }
    }

    private static URI serverUrl(String url) throws AbortException {
        if (url == null) {
            throw new AbortException(NOT_CONFIGURED);
        }
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // said below
        }
        throw new AbortException("codeDeploy: the server URL '" + url + "' of the codedeploy global configuration is not an http:// or"
                + " https:// URL, for example https://codedeploy.example.com");
    }
}
