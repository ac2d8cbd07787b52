package dev.codedeploy.replication;

import java.time.Duration;

/** Defaults and range checks of the replication settings; errors name the field. */
public final class Settings {

    private Settings() {
    }

    /** {@code value}, or {@code fallback} when null; a zero or negative value is refused naming {@code field}. */
    public static Duration positive(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value;
    }

    /** {@code value}, or {@code fallback} when null; zero means off; a negative value is refused naming {@code field}. */
    public static Duration zeroOrPositive(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be zero (off) or positive, got " + value);
        }
        return value;
    }

    /** {@code value}; zero means "not set": the fallback; a negative value is refused naming {@code field}. */
    public static int positive(int value, int fallback, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value == 0 ? fallback : value;
    }
}
