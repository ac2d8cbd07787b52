package dev.codedeploy.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * What an {@link ApiExtension} may register on the API's server: routes outside {@code /api/} (the API does not
 * authenticate them: the extension decides, with {@link #sessions()}), static files from the classpath, and the
 * webjars on the classpath. An exception a handler lets out is answered as the API answers its own, in JSON.
 */
public final class ExtensionRoutes {

    private final JavalinConfig cfg;
    private final BrowserSessions sessions;

    ExtensionRoutes(JavalinConfig cfg, BrowserSessions sessions) {
        this.cfg = cfg;
        this.sessions = sessions;
    }

    /** A GET route. */
    public void get(String path, Handler handler) {
        cfg.routes.get(outsideApi(path), handler);
    }

    /** A POST route. */
    public void post(String path, Handler handler) {
        cfg.routes.post(outsideApi(path), handler);
    }

    /**
     * Serves the classpath folder {@code folder} under {@code hostedPath}, with {@code headers} on every file.
     */
    public void staticFiles(String hostedPath, String folder, Map<String, String> headers) {
        cfg.staticFiles.add(files -> {
            files.hostedPath = outsideApi(hostedPath);
            files.directory = folder;
            files.location = Location.CLASSPATH;
            files.headers = Map.copyOf(headers);
        });
    }

    /** Serves the webjars on the classpath under {@code /webjars/NAME/VERSION/}, cached for a year (their paths hold versions). */
    public void webjars() {
        cfg.staticFiles.enableWebjars();
    }

    /** The API's browser sessions: login, logout, and who a request's cookie is. */
    public BrowserSessions sessions() {
        return sessions;
    }

    private static String outsideApi(String path) {
        if (path == null || !path.startsWith("/") || path.equals("/api") || path.startsWith("/api/")) {
            throw new IllegalArgumentException("an extension's path must start with / and lie outside /api/, got '" + path + "'");
        }
        return path;
    }
}
