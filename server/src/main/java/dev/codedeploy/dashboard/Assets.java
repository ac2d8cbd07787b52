package dev.codedeploy.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Where the pages find their scripts and styles, all served by the server itself: the webjars' files under
 * {@code /webjars/NAME/VERSION/} (the versions the build pinned) and the dashboard's own under {@code /dashboard/assets/}.
 *
 * @param htmx     htmx
 * @param sse      htmx's server-sent-events extension
 * @param mustache Mustache.js, which renders the API's JSON through the pages' templates
 * @param script   the dashboard's own glue
 * @param style    its stylesheet
 */
public record Assets(String htmx, String sse, String mustache, String script, String style) {

    /** The path the dashboard's own files are served under. */
    static final String PATH = "/dashboard/assets";

    /** The paths of this build's webjars. */
    static Assets load() {
        Properties versions = new Properties();
        try (InputStream in = Assets.class.getResourceAsStream("webjars.properties")) {
            if (in == null) {
                throw new IllegalStateException("webjars.properties is missing from the dashboard's classpath");
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Assets(webjar(versions, "htmx.org", "dist/htmx.min.js"), webjar(versions, "htmx-ext-sse", "sse.js"),
                webjar(versions, "mustache", "mustache.min.js"), PATH + "/dashboard.js", PATH + "/dashboard.css");
    }

    private static String webjar(Properties versions, String name, String file) {
        String version = versions.getProperty(name);
        if (version == null || version.isBlank() || version.startsWith("$")) {
            throw new IllegalStateException("webjars.properties names no version of " + name + " (was it filtered by the build?)");
        }
        String path = "/webjars/" + name + "/" + version + "/" + file;
        if (Assets.class.getResource("/META-INF/resources" + path) == null) {
            throw new IllegalStateException(path + " is not on the classpath: the webjar " + name + " " + version + " is missing");
        }
        return path;
    }
}
