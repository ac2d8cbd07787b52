package dev.codedeploy.queue;

import dev.codedeploy.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;

/** A full commit SHA-1: 40 hex digits, stored lowercase. Abbreviated SHAs and ref names are refused. */
public final class CommitSha {

    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");

    private CommitSha() {
    }

    /**
     * Validates and normalises {@code sha}.
     *
     * @return the SHA in lowercase
     * @throws InvalidInputException naming the value and the accepted form
     */
    public static String validate(String sha) {
        if (sha == null || sha.isBlank()) {
            throw new InvalidInputException("sha is missing: give the full 40-hex-digit commit SHA");
        }
        String normalised = sha.trim().toLowerCase(Locale.ROOT);
        if (!FULL_SHA.matcher(normalised).matches()) {
            throw new InvalidInputException("sha '" + abbreviate(sha) + "' is not a commit SHA: expected exactly 40 hex digits"
                    + " (0-9, a-f), got " + sha.trim().length() + " characters; branch names and short SHAs are not accepted");
        }
        return normalised;
    }

    /** True when {@code sha} would pass {@link #validate(String)}. */
    public static boolean isValid(String sha) {
        return sha != null && FULL_SHA.matcher(sha.trim().toLowerCase(Locale.ROOT)).matches();
    }

    static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 60 ? printable.substring(0, 57) + "..." : printable;
    }
}
