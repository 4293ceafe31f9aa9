package io.github.reactivekoyeb.snapshots.examples.streaming;

import io.github.reactivekoyeb.snapshots.KoyebApiException;
import io.github.reactivekoyeb.snapshots.KoyebNotFoundException;
import io.github.reactivekoyeb.snapshots.KoyebRateLimitException;
import io.github.reactivekoyeb.snapshots.KoyebServiceUnavailableException;
import io.github.reactivekoyeb.snapshots.KoyebTransportException;
import io.github.reactivekoyeb.snapshots.KoyebValidationException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The client's typed errors as RFC 9457 problem details: what the caller did wrong keeps its
 * status (400 with the invalid fields, 404), Koyeb's own trouble becomes 503 or 429 (with
 * {@code Retry-After} when Koyeb sent one), a refused token or an upstream failure 502, an
 * upstream timeout 504. Messages name the Koyeb call, never the token.
 */
@RestControllerAdvice
class KoyebProblemHandler {

    @ExceptionHandler(KoyebApiException.class)
    ResponseEntity<ProblemDetail> api(KoyebApiException e) {
        HttpStatus status;
        if (e instanceof KoyebValidationException) {
            status = HttpStatus.BAD_REQUEST;
        } else if (e instanceof KoyebNotFoundException) {
            status = HttpStatus.NOT_FOUND;
        } else if (e instanceof KoyebRateLimitException) {
            status = HttpStatus.TOO_MANY_REQUESTS;
        } else if (e instanceof KoyebServiceUnavailableException) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
        } else {
            status = HttpStatus.BAD_GATEWAY; // a refused token, a 500: not the caller's doing
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(status == HttpStatus.BAD_GATEWAY ? "Koyeb API error" : status.getReasonPhrase());
        problem.setProperty("koyebStatus", e.statusCode());
        if (e.errorCode() != null) {
            problem.setProperty("koyebErrorCode", e.errorCode());
        }
        problem.setProperty("attempts", e.attempts());
        if (e instanceof KoyebValidationException v && !v.fields().isEmpty()) {
            problem.setProperty("fields", v.fields());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        e.retryAfter().map(Duration::toSeconds).ifPresent(s -> response.header(HttpHeaders.RETRY_AFTER, String.valueOf(s)));
        return response.body(problem);
    }

    @ExceptionHandler(KoyebTransportException.class)
    ResponseEntity<ProblemDetail> transport(KoyebTransportException e) {
        HttpStatus status = e.reason() == KoyebTransportException.Reason.RESPONSE_TIMEOUT
                ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle("Koyeb API unreachable");
        problem.setProperty("reason", e.reason().name());
        problem.setProperty("attempts", e.attempts());
        return ResponseEntity.status(status).body(problem);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badArgument(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage()));
    }
}
