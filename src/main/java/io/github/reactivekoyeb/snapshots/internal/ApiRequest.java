package io.github.reactivekoyeb.snapshots.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * One API call, ready to send: method, URI template (for observations and logs), the encoded
 * path and query, the JSON body.
 *
 * @param method the HTTP method
 * @param uriTemplate the low-cardinality form, e.g. {@code /v1/snapshots/{id}}
 * @param path the percent-encoded path, e.g. {@code /v1/snapshots/a%2Fb}
 * @param query the percent-encoded query without {@code ?}, or null
 * @param body the JSON body, or null
 * @param resendable whether it may be sent again after it may have reached the server
 */
record ApiRequest(HttpMethod method, String uriTemplate, String path, @Nullable String query,
        byte @Nullable [] body, boolean resendable) {

    String pathAndQuery() {
        return query == null || query.isEmpty() ? path : path + '?' + query;
    }
}
