package io.github.reactivekoyeb.snapshots.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Decides each answer of the fake server, as OkHttp's {@code Dispatcher} does for its
 * {@code MockWebServer}: first the rate limit, if one is set ({@link FakeRateLimit}: 429 at once,
 * before anything else); then the changes scheduled before the request are made to the store
 * ({@link ChangeScript}); then what the {@link FaultScript} has for the request (written by the
 * {@link FaultWriter}), else the Koyeb API's answer from the store ({@link KoyebApiRoutes}),
 * gzip-compressed when the request accepts it; after the latency.
 */
final class Dispatcher {

    private final FaultScript script;
    private final ChangeScript changes;
    private final KoyebApiRoutes api;
    private final FakeRateLimit rateLimit;
    private final boolean compression;
    private final AtomicLong bodyBytesWritten = new AtomicLong();
    private volatile Duration latency;
    private volatile @Nullable Huddle huddle;

    Dispatcher(FaultScript script, ChangeScript changes, KoyebApiRoutes api, FakeRateLimit rateLimit,
            boolean compression, Duration latency) {
        this.script = script;
        this.rateLimit = rateLimit;
        this.changes = changes;
        this.api = api;
        this.compression = compression;
        this.latency = latency;
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    /** The next {@code count} answers wait until {@code count} requests have arrived. */
    void holdTogether(int count) {
        this.huddle = count <= 1 ? null : new Huddle(count);
    }

    long bodyBytesWritten() {
        return bodyBytesWritten.get();
    }

    Mono<Void> dispatch(RecordedRequest request, HttpServerResponse response) {
        if (!rateLimit.admit()) {
            return FaultWriter.write(FakeRateLimit.THROTTLED, response);
        }
        changes.beforeAnswer(request);
        FakeResponse scripted = script.next(request);
        Duration wait = latency.plus(scripted == null ? Duration.ZERO : scripted.delay());
        Mono<Void> answer = Mono.defer(() -> scripted != null && scripted.kind() != FakeResponse.Kind.DELAY_THEN_STORE
                ? FaultWriter.write(scripted, response) : fromStore(request, response));
        Mono<Void> delayed = wait.isZero() ? answer : Mono.delay(wait).then(answer);
        Huddle held = huddle;
        if (held == null || !held.join()) {
            return delayed;
        }
        if (held.complete()) {
            huddle = null;
        }
        return held.released().then(delayed);
    }

    /** Requests whose answers leave together, once the last of them has arrived. */
    private static final class Huddle {
        private final AtomicInteger missing;
        private final Sinks.Empty<Void> released = Sinks.empty();

        Huddle(int count) {
            this.missing = new AtomicInteger(count);
        }

        /** Whether this request is one of the huddle's (releases it when it is the last). */
        boolean join() {
            int left = missing.getAndUpdate(n -> Math.max(0, n - 1));
            if (left == 1) {
                released.tryEmitEmpty();
            }
            return left > 0;
        }

        boolean complete() {
            return missing.get() == 0;
        }

        Mono<Void> released() {
            return released.asMono();
        }
    }

    private Mono<Void> fromStore(RecordedRequest request, HttpServerResponse response) {
        KoyebApiRoutes.Reply reply = api.answer(request);
        response.status(reply.status()).header("Content-Type", "application/json");
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        String accepted = request.header("accept-encoding");
        if (compression && accepted != null && accepted.toLowerCase(Locale.ROOT).contains("gzip")) {
            body = gzip(body);
            response.header("Content-Encoding", "gzip");
        }
        bodyBytesWritten.addAndGet(body.length);
        response.header("Content-Length", String.valueOf(body.length));
        return response.sendByteArray(Mono.just(body)).then();
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
