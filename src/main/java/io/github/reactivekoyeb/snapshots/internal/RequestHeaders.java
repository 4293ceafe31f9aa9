package io.github.reactivekoyeb.snapshots.internal;

import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The headers of every request, written by one method into whichever map a {@link Transport}
 * has (Netty's, or Spring's): {@code Accept}, {@code Accept-Encoding} when the client asks for
 * gzip, {@code User-Agent}, {@code Authorization} with a token, and {@code Content-Type} and
 * {@code Content-Length} with a body. Nothing else; in particular no {@code Authorization}
 * without a token (an application's default one is removed from its {@code WebClient} when the
 * client is built).
 *
 * @param userAgent the {@code User-Agent}
 * @param compression whether to ask for gzip
 */
record RequestHeaders(String userAgent, boolean compression) {

    static final String ACCEPT = "Accept";
    static final String ACCEPT_ENCODING = "Accept-Encoding";
    static final String USER_AGENT = "User-Agent";
    static final String AUTHORIZATION = "Authorization";
    static final String CONTENT_TYPE = "Content-Type";
    static final String CONTENT_LENGTH = "Content-Length";
    static final String JSON = "application/json";

    /**
     * Sets the headers of one request.
     *
     * @param token the bearer token, or null
     * @param body the body, or null
     * @param set sets a header, replacing any value it had
     */
    void write(@Nullable String token, byte @Nullable [] body, BiConsumer<String, String> set) {
        set.accept(ACCEPT, JSON);
        if (compression) {
            set.accept(ACCEPT_ENCODING, "gzip");
        }
        set.accept(USER_AGENT, userAgent);
        if (token != null) {
            set.accept(AUTHORIZATION, "Bearer " + token);
        }
        if (body != null) {
            set.accept(CONTENT_TYPE, JSON);
            set.accept(CONTENT_LENGTH, Integer.toString(body.length));
        }
    }
}
