package io.github.reactivekoyeb.snapshots.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scripted answer or fault for {@link FakeKoyebServer#enqueue(FakeResponse)}: it replaces the
 * store's answer to the next request. Immutable; each {@code with...} method returns a copy.
 *
 * <pre>{@code
 * server.enqueue(FakeResponse.status(503).withRetryAfter("1"));
 * server.enqueue(FakeResponse.status(200).withBody("<html>proxy</html>", "text/html"));
 * server.enqueue(FakeResponse.disconnect());
 * }</pre>
 */
public final class FakeResponse {

    /** What the server does with the connection. */
    public enum Kind {
        /** Answer with the status, headers and body. */
        RESPOND,
        /** Read the request, then close the connection without answering. */
        DISCONNECT,
        /** Read the request, then reset the connection (TCP RST) without answering. */
        RESET,
        /** Send the status, headers and the first half of the body, then close the connection. */
        TRUNCATE,
        /** Send the status and headers (announcing a body), then close the connection. */
        CLOSE_AFTER_HEADERS,
        /** Send the status and headers, then the body one byte per {@code dripInterval}. */
        DRIP,
        /** Answer as the store would, only later: {@code delay} first. */
        DELAY_THEN_STORE
    }

    private final Kind kind;
    private final int status;
    private final Map<String, String> headers;
    private final @Nullable String body;
    private final Duration delay;
    private final Duration dripInterval;

    private FakeResponse(Kind kind, int status, Map<String, String> headers, @Nullable String body, Duration delay,
            Duration dripInterval) {
        this.kind = kind;
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.delay = delay;
        this.dripInterval = dripInterval;
    }

    /**
     * An answer with this status and, for an error status, an {@code Error} JSON body
     * ({@code {"status":..,"code":..,"message":..}}).
     *
     * @param status the HTTP status
     * @return the response
     */
    public static FakeResponse status(int status) {
        String body = status >= 400 ? "{\"status\":" + status + ",\"code\":\"" + KoyebApiRoutes.codeFor(status)
                + "\",\"message\":\"injected fault\"}" : null;
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return new FakeResponse(Kind.RESPOND, status, headers, body, Duration.ZERO, Duration.ZERO);
    }

    /**
     * An answer with this status and a JSON body.
     *
     * @param status the HTTP status
     * @param json the body, sent as {@code application/json}
     * @return the response
     */
    public static FakeResponse json(int status, String json) {
        return status(status).withBody(json, "application/json");
    }

    /**
     * Closes the connection after reading the request, without an answer.
     *
     * @return the fault
     */
    public static FakeResponse disconnect() {
        return new FakeResponse(Kind.DISCONNECT, 0, Map.of(), null, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Resets the connection (TCP RST) after reading the request, without an answer.
     *
     * @return the fault
     */
    public static FakeResponse reset() {
        return new FakeResponse(Kind.RESET, 0, Map.of(), null, Duration.ZERO, Duration.ZERO);
    }

    /**
     * Sends a 200 with the headers and half of this JSON body (its full {@code Content-Length}
     * announced), then closes the connection.
     *
     * @param json the whole body, of which half is sent
     * @return the fault
     */
    public static FakeResponse truncated(String json) {
        return new FakeResponse(Kind.TRUNCATE, 200, Map.of("Content-Type", "application/json"), json, Duration.ZERO,
                Duration.ZERO);
    }

    /**
     * Sends a 200 with its headers, announcing a JSON body, then closes the connection.
     *
     * @return the fault
     */
    public static FakeResponse closeAfterHeaders() {
        return new FakeResponse(Kind.CLOSE_AFTER_HEADERS, 200, Map.of("Content-Type", "application/json"),
                "{\"snapshot\":{}}", Duration.ZERO, Duration.ZERO);
    }

    /**
     * Sends a 200 with the headers, then this body one byte per interval.
     *
     * @param json the body
     * @param interval the wait before each byte
     * @return the fault
     */
    public static FakeResponse drip(String json, Duration interval) {
        return new FakeResponse(Kind.DRIP, 200, Map.of("Content-Type", "application/json"), json, Duration.ZERO,
                Objects.requireNonNull(interval, "interval"));
    }

    /**
     * Answers as the store would, after a delay.
     *
     * @param delay the wait before the answer
     * @return the response
     */
    public static FakeResponse delayed(Duration delay) {
        return new FakeResponse(Kind.DELAY_THEN_STORE, 0, Map.of(), null, Objects.requireNonNull(delay, "delay"),
                Duration.ZERO);
    }

    /**
     * A copy with this body.
     *
     * @param body the body text
     * @param contentType its content type
     * @return the copy
     */
    public FakeResponse withBody(String body, String contentType) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", contentType);
        return new FakeResponse(kind, status, h, body, delay, dripInterval);
    }

    /**
     * A copy with no body at all.
     *
     * @return the copy
     */
    public FakeResponse withoutBody() {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.remove("Content-Type");
        return new FakeResponse(kind, status, h, null, delay, dripInterval);
    }

    /**
     * A copy with this header added.
     *
     * @param name the header name
     * @param value its value
     * @return the copy
     */
    public FakeResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new FakeResponse(kind, status, h, body, delay, dripInterval);
    }

    /**
     * A copy with a {@code Retry-After} header.
     *
     * @param value seconds (e.g. {@code "1"}) or an HTTP date
     * @return the copy
     */
    public FakeResponse withRetryAfter(String value) {
        return withHeader("Retry-After", value);
    }

    Kind kind() {
        return kind;
    }

    int statusCode() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    @Nullable String body() {
        return body;
    }

    Duration delay() {
        return delay;
    }

    Duration dripInterval() {
        return dripInterval;
    }

    @Override
    public String toString() {
        return "FakeResponse{" + kind + (status == 0 ? "" : " " + status) + '}';
    }
}
