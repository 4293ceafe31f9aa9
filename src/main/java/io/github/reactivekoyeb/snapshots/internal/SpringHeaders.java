package io.github.reactivekoyeb.snapshots.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.springframework.http.HttpHeaders;

/**
 * The {@link HttpHeaders} operations whose signatures differ between Spring Framework 6.2 and 7,
 * resolved once, when the class loads, to the method the running Spring has.
 *
 * <p>Spring 7's {@code HttpHeaders} is no longer a {@code MultiValueMap}: its
 * {@code remove(String)} replaces 6.2's {@code remove(Object)}. Code compiled against either
 * names one descriptor and fails on the other line with {@code NoSuchMethodError}; this class
 * keeps the one jar working on both.
 */
final class SpringHeaders {

    private static final MethodHandle REMOVE = findRemove();

    private SpringHeaders() {
    }

    /** Removes every value of the header; no-op when it is absent. */
    static void remove(HttpHeaders headers, String name) {
        try {
            REMOVE.invokeExact(headers, name);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle findRemove() {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType wanted = MethodType.methodType(void.class, HttpHeaders.class, String.class);
        try {
            // Spring Framework 7: List<String> remove(String)
            return lookup.findVirtual(HttpHeaders.class, "remove", MethodType.methodType(List.class, String.class))
                    .asType(wanted);
        } catch (NoSuchMethodException e) {
            try {
                // Spring Framework 6.2: HttpHeaders is a MultiValueMap, List<String> remove(Object)
                return lookup.findVirtual(HttpHeaders.class, "remove",
                        MethodType.methodType(List.class, Object.class)).asType(wanted);
            } catch (NoSuchMethodException | IllegalAccessException again) {
                again.addSuppressed(e);
                throw new ExceptionInInitializerError(again);
            }
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
