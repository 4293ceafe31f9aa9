package io.github.reactivekoyeb.snapshots.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The argument checks the builders share, with one wording. */
public final class Checks {

    private Checks() {
    }

    /**
     * Checks that a duration is set and positive.
     *
     * @param value the duration
     * @param name the setting's name, for the message
     * @return the value
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if zero or negative
     */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /**
     * What makes a token unusable, in words that never quote it.
     *
     * @param token the token
     * @return {@code "is blank"}, {@code "contains a control character (CR, LF, ...)"}, or null
     *     when the token can be sent
     */
    public static @Nullable String tokenProblem(String token) {
        if (token.isBlank()) {
            return "is blank";
        }
        return Text.hasControlCharacter(token) ? "contains a control character (CR, LF, ...)" : null;
    }

    /**
     * Checks a base URL and gives its normal form: an absolute http(s) URL with a host, no query,
     * no fragment and no user info, without trailing slashes.
     *
     * @param baseUrl the URL
     * @return the URL, trimmed, without trailing slashes
     * @throws NullPointerException if null
     * @throws IllegalArgumentException if it is not such a URL
     */
    public static String baseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, was " + baseUrl);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query, a fragment or user info");
        }
        String normalized = uri.toString();
        while (normalized.endsWith("/")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        return normalized;
    }
}
