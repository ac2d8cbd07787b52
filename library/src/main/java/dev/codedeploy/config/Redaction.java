package dev.codedeploy.config;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that may reach a log, an exception or a CI caller: the password of a URL's user
 * information ({@code scheme://user:password@host}), a bare token used as user name of an http(s) URL, and
 * {@code password=}, {@code token=} or {@code secret=} parameters (JDBC URLs carry them so). What is removed becomes
 * {@code ***}.
 */
public final class Redaction {

    /** The mask that replaces a secret. */
    public static final String MASK = "***";

    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*:(?:[a-z0-9+.-]+:)*//)([^/@\\s?#]*)@");
    private static final Pattern PARAMETER = Pattern.compile("(?i)([?&;](?:password|pwd|passwd|token|secret|secretKey|accessKey)=)([^&;#\\s]*)");
    private static final int MIN_SECRET_LENGTH = 3;

    private Redaction() {
    }

    /** {@code text} with the credentials of every URL in it replaced by {@value #MASK}; null stays null. */
    public static String url(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String info = m.group(2);
            boolean http = m.group(1).toLowerCase(java.util.Locale.ROOT).contains("http");
            int colon = info.indexOf(':');
            String kept = colon >= 0 ? info.substring(0, colon) + ":" + MASK : http ? MASK : info;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + kept + "@"));
        }
        m.appendTail(out);
        return PARAMETER.matcher(out).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
    }

    /** {@code text} with every value of {@code secrets} (of 3 characters or more) and URL credentials replaced. */
    public static String secrets(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
                masked = masked.replace(secret, MASK);
            }
        }
        return url(masked);
    }
}
