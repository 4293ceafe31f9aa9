package io.github.reactivekoyeb.snapshots;

import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Where the client gets the API token of each request: a fixed token, or one that rotates (a
 * secret store, a vault agent's file, a cache refreshed in the background).
 *
 * <p>The client subscribes to {@link #token()} for every request it sends (each try, each page of
 * a listing), so a provider that caches decides how often it really fetches. After a 401 the
 * client asks once more: if the token it gets then differs from the one that was refused, that
 * one request is sent again with it (a create or an update too: a 401 means nothing was done),
 * never more than once per call. The token is never in a log line, an exception message or a
 * {@code toString()}.
 *
 * <pre>{@code
 * ReactiveSnapshotsClient client = ReactiveSnapshotsClient.builder()
 *         .tokenProvider(() -> secrets.get("koyeb-api-token"))   // a Mono<String>, never blocking
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface TokenProvider {

    /**
     * The token for the next request.
     *
     * <p>Must not block: a provider that reads a file or calls a secret store does so
     * asynchronously (or on a scheduler meant for blocking work) and emits when it has the token.
     * An error, an empty {@code Mono}, a blank token or one with a control character ends the call
     * with a {@link KoyebTokenProviderException}.
     *
     * @return one token
     */
    Mono<String> token();

    /**
     * A provider of one fixed token, as {@code Builder.token(String)} sets.
     *
     * @param token the token
     * @return the provider
     * @throws NullPointerException if null
     */
    static TokenProvider of(String token) {
        Objects.requireNonNull(token, "token");
        Mono<String> just = Mono.just(token);
        return new TokenProvider() {
            @Override
            public Mono<String> token() {
                return just;
            }

            @Override
            public String toString() {
                return "TokenProvider[fixed, REDACTED]";
            }
        };
    }

    /**
     * A provider that reads the token from memory on every request, for example a field that a
     * background task refreshes; the supplier must not block.
     *
     * @param supplier gives the current token
     * @return the provider
     * @throws NullPointerException if null
     */
    static TokenProvider fromSupplier(Supplier<String> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return () -> Mono.fromSupplier(supplier);
    }
}
