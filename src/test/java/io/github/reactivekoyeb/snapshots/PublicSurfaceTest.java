package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public surface is small and true: what it promises is what its types say. */
class PublicSurfaceTest {

    private static final List<Class<? extends KoyebException>> EXCEPTIONS = List.of(KoyebApiException.class,
            KoyebValidationException.class, KoyebUnauthorizedException.class, KoyebForbiddenException.class,
            KoyebNotFoundException.class, KoyebRateLimitException.class, KoyebServerException.class,
            KoyebServiceUnavailableException.class, KoyebTransportException.class, KoyebTokenProviderException.class,
            KoyebWaitTimeoutException.class, KoyebUnexpectedStatusException.class, KoyebListingDriftException.class);

    @Test
    void everyExceptionIsAKoyebExceptionMadeFromOneDetailsValue() {
        for (Class<? extends KoyebException> type : EXCEPTIONS) {
            assertThat(KoyebException.class).as(type.getSimpleName()).isAssignableFrom(type);
            for (Constructor<?> constructor : type.getConstructors()) {
                assertThat(constructor.getParameterTypes()).as(constructor.toString()).contains(KoyebErrorDetails.class)
                        .hasSizeLessThanOrEqualTo(5);
            }
        }
    }

    @Test
    void exceptionsAreImmutable() {
        for (Class<?> type = KoyebValidationException.class; type != RuntimeException.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                assertThat(Modifier.isFinal(field.getModifiers())).as(field.toString()).isTrue();
            }
        }
        for (Class<? extends KoyebException> type : EXCEPTIONS) {
            for (Field field : type.getDeclaredFields()) {
                assertThat(Modifier.isFinal(field.getModifiers())).as(field.toString()).isTrue();
            }
        }
    }

    @Test
    void anExceptionSurvivesSerializationWithItsDetails() throws Exception {
        KoyebErrorDetails details = KoyebErrorDetails.builder("POST", "/v1/snapshots").statusCode(400).errorCode("bad")
                .fields(List.of(new ErrorField("parent_volume_id", "missing"), new ErrorField(null, null))).attempts(1)
                .retryAfter(java.time.Duration.ofSeconds(3)).build();
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new KoyebValidationException(details));
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            KoyebValidationException back = (KoyebValidationException) in.readObject();
            assertThat(back.details()).isEqualTo(details);
            assertThat(back.fields()).containsExactly(new ErrorField("parent_volume_id", "missing"),
                    new ErrorField(null, null));
            assertThat(back.getMessage()).isEqualTo(new KoyebValidationException(details).getMessage());
        }
    }

    @Test
    void listenersHearRetryReasonsAsAnEnum() throws NoSuchMethodException {
        Method onRetry = ClientEventListener.class.getMethod("onRetry", String.class, String.class, RetryReason.class,
                int.class, java.time.Duration.class);
        assertThat(onRetry.isDefault()).isTrue();
        assertThat(ClientEventListener.class.getMethod("onRetryBudgetExhausted", String.class, String.class,
                RetryReason.class)).isNotNull();
        assertThat(Arrays.stream(RetryReason.values()).map(RetryReason::tag))
                .containsExactly("503", "429", "connect", "timeout", "connection_closed");
    }

    @Test
    void readAheadIsShapedLikePageSize() throws NoSuchMethodException {
        assertThat(ListSnapshotsRequest.class.getMethod("readAhead").getReturnType())
                .isEqualTo(ListSnapshotsRequest.class.getMethod("pageSize").getReturnType()).isEqualTo(OptionalInt.class);
    }

    @Test
    void proxySettingsShowNoReactorNettyForm() {
        assertThat(Arrays.stream(ProxySettings.class.getMethods()).map(Method::getName)).doesNotContain("nonProxyHostsRegex");
    }

    @Test
    void internalExportsOnlyWhatOtherPackagesNeed() throws IOException {
        Pattern publicType = Pattern.compile("(?m)^public (final |abstract )?(class|record|interface|enum) (\\w+)");
        List<String> exported;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/github/reactivekoyeb/snapshots/internal"))) {
            exported = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    var m = publicType.matcher(Files.readString(f));
                    return m.find() ? Stream.of(m.group(3)) : Stream.empty();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
        // the builder behind ReactiveSnapshotsClient.builder(), the waiters and the watch behind its
        // default methods, the argument checks the public settings types share, and the limiter
        // behind RateLimiter.adaptive(), and the replica's side of a shared budget, and that budget's contract, behind RedisRateLimiter
        assertThat(exported).containsExactly("AdaptiveRateLimiter", "Checks", "DefaultClientBuilder", "SharedBudget",
                "SharedRateLimiter",
                "Waiter", "Watcher");
    }
}
