package io.github.reactivekoyeb.snapshots.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.CreateSnapshotRequest;
import io.github.reactivekoyeb.snapshots.ErrorField;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotEvent;
import io.github.reactivekoyeb.snapshots.SnapshotPage;
import io.github.reactivekoyeb.snapshots.UpdateSnapshotRequest;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.http.HttpHeaders;

/**
 * The AOT and native-image hints: each test checks one hint against what the registrars listed in
 * {@code META-INF/spring/aot.factories} register, as Spring's AOT processing loads them, and
 * fails without that hint.
 */
class KoyebRuntimeHintsTest {

    /** What Spring AOT registers for an application with the library on its class path. */
    private static RuntimeHints registered() {
        RuntimeHints hints = new RuntimeHints();
        List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(RuntimeHintsRegistrar.class);
        registrars.forEach(registrar -> registrar.registerHints(hints, KoyebRuntimeHintsTest.class.getClassLoader()));
        return hints;
    }

    @Test
    void theRegistrarsAreListedInAotFactories() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(RuntimeHintsRegistrar.class)).extracting(r -> r.getClass().getName())
                .contains(KoyebRuntimeHints.class.getName(),
                        "io.github.reactivekoyeb.snapshots.testing.FakeKoyebServerRuntimeHints");
    }

    @Test
    void theHeadersRemoveMethodThatSpringHeadersLooksUpMayBeInvoked() {
        // the one of the line under test: remove(String) on Spring 7, remove(Object) on Spring 6.2
        Method remove = Arrays.stream(HttpHeaders.class.getMethods())
                .filter(m -> m.getName().equals("remove") && m.getParameterCount() == 1
                        && m.getDeclaringClass() == HttpHeaders.class && m.getReturnType() == List.class)
                .findFirst().orElseThrow();
        assertThat(RuntimeHintsPredicates.reflection().onMethod(remove).invoke()).accepts(registered());
        // and SpringHeaders does work through it on this line
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Test", "1");
        SpringHeaders.remove(headers, "X-Test");
        assertThat(headers.getFirst("X-Test")).isNull();
    }

    @Test
    void theVersionResourceThatClientVersionReadsIsIncluded() {
        assertThat(ClientVersion.class.getClassLoader().getResource(KoyebRuntimeHints.VERSION_RESOURCE)).isNotNull();
        assertThat(RuntimeHintsPredicates.resource().forResource(KoyebRuntimeHints.VERSION_RESOURCE))
                .accepts(registered());
        assertThat(ClientVersion.VERSION).isNotEqualTo("unknown");
    }

    @Test
    void theModelsCanBeBoundByAnApplicationsJackson() throws Exception {
        RuntimeHints hints = registered();
        for (Class<?> model : List.of(Snapshot.class, SnapshotEvent.class, SnapshotPage.class,
                CreateSnapshotRequest.class, UpdateSnapshotRequest.class, ErrorField.class)) {
            assertThat(RuntimeHintsPredicates.reflection().onType(model)).as(model.getName()).accepts(hints);
            if (model.isRecord()) {
                for (RecordComponent component : model.getRecordComponents()) {
                    assertThat(RuntimeHintsPredicates.reflection().onMethod(component.getAccessor()).invoke())
                            .as(model.getSimpleName() + "." + component.getName()).accepts(hints);
                }
            }
        }
    }

    @Test
    void theTestSupportThatIsLoadedByNameMayBeConstructed() throws Exception {
        RuntimeHints hints = registered();
        Class<?> listener = Class.forName("io.github.reactivekoyeb.snapshots.testing.FakeKoyebServerTestExecutionListener");
        assertThat(RuntimeHintsPredicates.reflection().onConstructor(listener.getDeclaredConstructor()).invoke())
                .accepts(hints);
        Class<?> extension = Class.forName("io.github.reactivekoyeb.snapshots.testing.FakeKoyebServerExtension");
        assertThat(RuntimeHintsPredicates.reflection().onConstructor(extension.getConstructor()).invoke())
                .accepts(hints);
    }

    @Test
    void anApplicationsOwnProcessingWithoutSpringTestOrJunitRegistersNoTestSupportAndLoadsNoneOfIt() {
        // the application's main AOT processing: its class path has neither spring-test nor JUnit
        ClassLoader withoutTestLibraries = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("org.springframework.test.") || name.startsWith("org.junit.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        RuntimeHints hints = new RuntimeHints();
        SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(RuntimeHintsRegistrar.class).forEach(r -> r.registerHints(hints, withoutTestLibraries));
        assertThat(hints.reflection().typeHints()).noneMatch(t -> t.getType().getName().contains(".testing."));
        assertThat(RuntimeHintsPredicates.resource().forResource(KoyebRuntimeHints.VERSION_RESOURCE)).accepts(hints);
    }
}
