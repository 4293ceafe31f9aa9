package io.github.reactivekoyeb.snapshots.internal;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotEvent;
import io.github.reactivekoyeb.snapshots.SnapshotPage;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.http.HttpHeaders;

/**
 * What the library loads by name, for Spring AOT and GraalVM native images; registered in
 * {@code META-INF/spring/aot.factories}, so that a native image of an application needs nothing
 * from its author:
 * <ul>
 *   <li>{@code HttpHeaders.remove}, which {@link SpringHeaders} looks up as a method handle (its
 *       signature differs between Spring 6.2 and 7.0);</li>
 *   <li>{@code version.properties}, which {@link ClientVersion} reads for the {@code User-Agent};</li>
 *   <li>the models an application's own Jackson reads by reflection when it serves or accepts
 *       them (a controller that streams {@code Snapshot}s or {@code SnapshotEvent}s): their
 *       accessors, constructors and Jackson annotations.</li>
 * </ul>
 * Package-private: {@code SpringFactoriesLoader} instantiates it all the same.
 */
final class KoyebRuntimeHints implements RuntimeHintsRegistrar {

    /** The resource that {@link ClientVersion} reads. */
    static final String VERSION_RESOURCE = "io/github/reactivekoyeb/snapshots/internal/version.properties";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        // Spring 7: remove(String); Spring 6.2: remove(Object), from MultiValueMap
        hints.reflection().registerType(HttpHeaders.class, type -> type
                .withMethod("remove", List.of(TypeReference.of(String.class)), ExecutableMode.INVOKE)
                .withMethod("remove", List.of(TypeReference.of(Object.class)), ExecutableMode.INVOKE));
        hints.resources().registerPattern(VERSION_RESOURCE);
        new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), Snapshot.class,
                SnapshotEvent.class, SnapshotPage.class, CreateSnapshotRequest.class, UpdateSnapshotRequest.class,
                ErrorField.class);
    }
}
