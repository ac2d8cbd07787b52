package dev.codedeploy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.codedeploy.NotFoundException;
import dev.codedeploy.client.Identity;
import dev.codedeploy.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads what a request carries, refusing at the boundary with a status, a code and the field at fault. */
final class ApiRequests {

    /** The context attribute holding the caller's {@link Identity}. */
    static final String IDENTITY = "codedeploy.identity";

    private ApiRequests() {
    }

    /** Who is calling (set by the authentication of the route). */
    static Identity identity(Context ctx) {
        Identity identity = ctx.attribute(IDENTITY);
        if (identity == null) {
            throw new IllegalStateException("route " + ctx.path() + " has no authentication");
        }
        return identity;
    }

    /**
     * The path's {@code env}, one of {@code known}.
     *
     * @throws NotFoundException naming the known environments when it is not
     */
    static String environment(Context ctx, Set<String> known) {
        String environment = ctx.pathParam("env");
        if (!known.contains(environment)) {
            throw new NotFoundException("environment '" + abbreviate(environment) + "' is unknown to this server; known: "
                    + known);
        }
        return environment;
    }

    /** A positive id in the path. */
    static long id(Context ctx, String name) {
        String text = ctx.pathParam(name);
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new ApiException(400, "invalid_field", name, name + " '" + abbreviate(text) + "' is not a positive integer");
    }

    /** A query parameter {@code limit}: 1 to {@code max}, {@code fallback} when absent. */
    static int limit(Context ctx, int fallback, int max) {
        return (int) longQuery(ctx, "limit", fallback, 1, max);
    }

    /** A numeric query parameter within bounds, {@code fallback} when absent. */
    static long longQuery(Context ctx, String name, long fallback, long min, long max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new ApiException(400, "invalid_field", name, name + " '" + abbreviate(text) + "' must be an integer from " + min + " to " + max);
    }

    /** A yes/no query parameter. */
    static boolean flag(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank() || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        throw new ApiException(400, "invalid_field", name, name + " '" + abbreviate(text) + "' must be true or false");
    }

    /**
     * The JSON body as {@code type}: refused with 415 when it is not {@code application/json}, 413 when too large, 400
     * naming the field when it does not bind (unknown fields included).
     *
     * @return null when the body is empty and not {@code required}
     */
    static <T> T body(Context ctx, Class<T> type, boolean required) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            if (required) {
                throw new ApiException(400, "missing_body", "body", "this endpoint needs a JSON body (Content-Type: application/json)");
            }
            return null;
        }
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type", "the body must be application/json, got "
                    + (contentType == null ? "no Content-Type" : "'" + abbreviate(contentType) + "'"));
        }
        try {
            T value = Json.MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new ApiException(400, "missing_body", "body", "the body is JSON null: send an object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
            throw new ApiException(400, "unknown_field", e.getPropertyName(), "unknown field '" + e.getPropertyName() + "'; accepted: " + known);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new ApiException(400, "invalid_field", path.isEmpty() ? "body" : path, (path.isEmpty() ? "the body" : "field '" + path + "'")
                    + " does not fit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed_json", "body", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "body", "the body could not be read: " + e.getMessage());
        }
    }

    static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 64 ? printable.substring(0, 61) + "..." : printable;
    }
}
