package dev.codedeploy.client;

import java.util.List;

/**
 * The body of a list answer: {@code {"items": [...]}}, newest first unless the endpoint says otherwise.
 *
 * @param items the entries
 * @param <T>   their type
 */
public record Items<T>(List<T> items) {

    public Items {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
