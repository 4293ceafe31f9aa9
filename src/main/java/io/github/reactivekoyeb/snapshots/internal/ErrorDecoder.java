package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.KoyebApiException;
import io.github.reactivekoyeb.snapshots.KoyebForbiddenException;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.KoyebRateLimitException;
import io.github.reactivekoyeb.snapshots.KoyebServerException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.KoyebUnauthorizedException;
import io.github.reactivekoyeb.snapshots.KoyebValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns an HTTP error reply into the typed exception: the exact status first (400, 401, 403,
 * 404, 429, 503), then the status class (other 5xx), then {@link KoyebApiException} itself.
 * Everything taken from the body is masked (the token) and stripped of control characters.
 */
final class ErrorDecoder {

    private final Redactor redactor;

    ErrorDecoder(Redactor redactor) {
        this.redactor = redactor;
    }

    KoyebApiException decode(int status, String method, String path, String body, @Nullable Duration retryAfter,
            int attempt) {
        WireJson.ErrorBody parsed = body.isEmpty() ? null : WireJson.get().readErrorBody(body);
        String code = parsed == null ? null : clean(parsed.code());
        String message = parsed == null ? null : clean(parsed.message());
        String snippet = Text.truncate(cleanNonNull(body), KoyebApiException.MAX_SNIPPET_LENGTH);
        switch (status) {
            case 400: {
                List<ErrorField> fields = new ArrayList<>();
                if (parsed != null) {
                    for (ErrorField f : parsed.fields()) {
                        fields.add(new ErrorField(clean(f.field()), clean(f.description())));
                    }
                }
                return new KoyebValidationException(status, method, path, code, message, snippet, attempt, retryAfter,
                        fields);
            }
            case 401:
                return new KoyebUnauthorizedException(status, method, path, code, message, snippet, attempt, retryAfter);
            case 403:
                return new KoyebForbiddenException(status, method, path, code, message, snippet, attempt, retryAfter);
            case 404:
                return new KoyebNotFoundException(status, method, path, code, message, snippet, attempt, retryAfter);
            case 429:
                return new KoyebRateLimitException(status, method, path, code, message, snippet, attempt, retryAfter);
            case 503:
                return new KoyebServiceUnavailableException(status, method, path, code, message, snippet, attempt,
                        retryAfter);
            default:
                if (status >= 500 && status <= 599) {
                    return new KoyebServerException(status, method, path, code, message, snippet, attempt, retryAfter);
                }
                return new KoyebApiException(status, method, path, code, message, snippet, attempt, retryAfter);
        }
    }

    private @Nullable String clean(@Nullable String text) {
        return text == null ? null : cleanNonNull(text);
    }

    private String cleanNonNull(String text) {
        // mask before and after stripping: a token split by a control character is caught too
        return redactor.mask(Text.stripControlCharacters(redactor.mask(text)));
    }
}
