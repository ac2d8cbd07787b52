package dev.codedeploy.queue;

import dev.codedeploy.InvalidInputException;

/**
 * One page of a history query, newest first.
 *
 * @param page zero-based page number
 * @param size rows per page, 1 to {@value #MAX_SIZE}
 */
public record PageRequest(int page, int size) {

    /** Largest page. */
    public static final int MAX_SIZE = 500;

    public PageRequest {
        if (page < 0) {
            throw new InvalidInputException("page " + page + " is negative: pages start at 0");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("page size " + size + " is out of range: 1 to " + MAX_SIZE);
        }
    }

    /** The first page of {@code size} rows. */
    public static PageRequest first(int size) {
        return new PageRequest(0, size);
    }

    int offset() {
        return page * size;
    }
}
