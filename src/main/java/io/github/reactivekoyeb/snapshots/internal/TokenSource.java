package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.TokenProvider;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where the token of each request comes from: the client's fixed token, or its
 * {@link TokenProvider}, asked for every request and checked; and the one resend after a 401
 * when the provider then gives another token.
 */
final class TokenSource {

    private static final Log log = LogFactory.getLog("io.github.reactivekoyeb.snapshots.http");

    private final @Nullable TokenProvider provider;
    private final Mono<Credentials> fixed;

    TokenSource(@Nullable String token, @Nullable TokenProvider provider) {
        this.provider = provider;
        this.fixed = Mono.just(Credentials.of(token));
    }

    /** The token for the next request of a call that has sent {@code sentSoFar} requests. */
    Mono<Credentials> credentials(ApiRequest request, int sentSoFar) {
        TokenProvider p = provider;
        if (p == null) {
            return fixed;
        }
        Mono<String> token;
        try {
            token = p.token();
        } catch (RuntimeException e) {
            token = Mono.error(e);
        }
        if (token == null) {
            token = Mono.empty();
        }
        return token
                .onErrorMap(e -> ExceptionFactory.forTokenProvider("failed (" + e.getClass().getName() + ")", request,
                        sentSoFar, e))
                .switchIfEmpty(Mono.error(() -> ExceptionFactory.forTokenProvider("gave no token", request, sentSoFar,
                        null)))
                .map(value -> {
                    String problem = Checks.tokenProblem(value);
                    if (problem != null) {
                        // never quoted: the value is the secret
                        throw ExceptionFactory.forTokenProvider("gave a token that " + problem, request, sentSoFar,
                                null);
                    }
                    return Credentials.of(value);
                });
    }

    /**
     * After a 401: asks the provider once more and, if it now gives another token, sends the
     * request once more with it, through {@code send}. At most once per call ({@code resent}),
     * whatever the method: a 401 means the server did nothing. Without a provider, or when the
     * token is the same, the 401 stands.
     */
    <T> Mono<T> resendAfter401(ApiRequest request, int sentSoFar, Credentials used, KoyebUnauthorizedException refused,
            AtomicBoolean resent, Function<Credentials, Mono<T>> send) {
        if (provider == null || !resent.compareAndSet(false, true)) {
            return Mono.error(refused);
        }
        return credentials(request, sentSoFar).flatMap(fresh -> {
            if (Objects.equals(fresh.token(), used.token())) {
                return Mono.error(refused);
            }
            if (log.isDebugEnabled()) {
                log.debug(request.method() + " " + request.uriTemplate()
                        + " -> 401: the token provider gave another token, sending once more");
            }
            return send.apply(fresh);
        });
    }

    /** A token, what masks it, and the exception factory that masks it in every error. */
    record Credentials(@Nullable String token, Redactor redactor, ExceptionFactory exceptions) {
        static Credentials of(@Nullable String token) {
            Redactor redactor = Redactor.forToken(token);
            return new Credentials(token, redactor, new ExceptionFactory(redactor));
        }

        @Override
        public String toString() {
            return "Credentials[" + (token == null ? "none" : Redactor.MASK) + "]";
        }
    }
}
