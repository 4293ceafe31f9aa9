package io.github.reactivekoyeb.snapshots.testing;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request the {@link FakeKoyebServer} received, as it arrived.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param path the raw path, still percent-encoded, e.g. {@code /v1/snapshots/a%2Fb}
 * @param rawQuery the raw query without {@code ?}, or null when there was none
 * @param queryParameters the decoded query parameters, in order, repeated names kept
 * @param headers the headers, names in lower case
 * @param body the body as UTF-8 text, empty when there was none
 * @param receivedAt when the request's body had been read
 */
public record RecordedRequest(String method, String path, @Nullable String rawQuery,
        Map<String, List<String>> queryParameters, Map<String, List<String>> headers, String body,
        Instant receivedAt) {

    /**
     * Copies the collections.
     *
     * @param method the HTTP method
     * @param path the raw path
     * @param rawQuery the raw query, or null
     * @param queryParameters the decoded query parameters
     * @param headers the headers, names in lower case
     * @param body the body text
     * @param receivedAt when the request was read
     */
    public RecordedRequest {
        queryParameters = Map.copyOf(queryParameters);
        headers = Map.copyOf(headers);
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, in any case
     * @return the value, or null when absent
     */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The first value of a query parameter.
     *
     * @param name the parameter name
     * @return the decoded value, or null when absent
     */
    public @Nullable String queryParameter(String name) {
        List<String> values = queryParameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Every value of a query parameter, e.g. each {@code statuses}.
     *
     * @param name the parameter name
     * @return the decoded values, empty when absent
     */
    public List<String> queryParameters(String name) {
        return queryParameters.getOrDefault(name, List.of());
    }

    @Override
    public String toString() {
        return method + ' ' + path + (rawQuery == null ? "" : "?" + rawQuery);
    }
}
