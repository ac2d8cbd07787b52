package dev.codedeploy.replication;

import java.time.Duration;

/** Defaults and range checks of the replication settings; errors name the field. */
final class Settings {

    private Settings() {
    }

    static Duration positive(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value;
    }

    static Duration zeroOrPositive(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be zero (off) or positive, got " + value);
        }
        return value;
    }

    /** Zero means "not set": the fallback. */
    static int positive(int value, int fallback, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value == 0 ? fallback : value;
    }
}
