package io.github.reactivekoyeb.snapshots.testing;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.netty.http.server.HttpServerRequest;

/** What the fake server received: every request in order of arrival (unless turned off), and their count. */
final class RequestLog {

    private final Clock clock;
    private final boolean keep;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger received = new AtomicInteger();

    RequestLog(Clock clock, boolean keep) {
        this.clock = clock;
        this.keep = keep;
    }

    /** Records a request whose body has been read, at the server's clock's time. */
    RecordedRequest record(HttpServerRequest request, String body) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String rawQuery = q < 0 ? null : uri.substring(q + 1);
        Map<String, List<String>> params = rawQuery == null ? Map.of()
                : new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false).parameters();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.requestHeaders().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(h.getValue()));
        RecordedRequest recorded = new RecordedRequest(request.method().name(), q < 0 ? uri : uri.substring(0, q),
                rawQuery, params, headers, body, clock.instant());
        received.incrementAndGet();
        if (keep) {
            requests.add(recorded);
        }
        return recorded;
    }

    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    RecordedRequest last() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("no request received");
        }
        return requests.get(requests.size() - 1);
    }

    int count() {
        return received.get();
    }

    void clear() {
        requests.clear();
        received.set(0);
    }
}
