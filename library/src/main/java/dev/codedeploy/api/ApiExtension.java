package dev.codedeploy.api;

/**
 * Something the API's server also serves, beside {@code /api/v1}: the dashboard. It registers its routes once, when
 * the server starts ({@link ApiServer#extend}).
 */
@FunctionalInterface
public interface ApiExtension {

    /** Registers the extension's pages, forms and static files. */
    void register(ExtensionRoutes routes);
}
