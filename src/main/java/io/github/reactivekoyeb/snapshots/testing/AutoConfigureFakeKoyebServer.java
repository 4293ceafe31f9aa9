package io.github.reactivekoyeb.snapshots.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * On a {@code @SpringBootTest} class: the application context gets a {@link FakeKoyebServer}
 * bean, and the auto-configured {@code ReactiveSnapshotsClient} is pointed at it, with no
 * {@code koyeb.snapshots.base-url}, no token property and no {@code @DynamicPropertySource}.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureFakeKoyebServer
 * class SnapshotServiceTest {
 *     @Autowired FakeKoyebServer koyeb;
 *     @Autowired SnapshotService service;  // uses the ReactiveSnapshotsClient bean
 *
 *     @Test
 *     void countsSnapshots() {
 *         koyeb.seed(3);
 *         StepVerifier.create(service.count()).expectNext(3L).verifyComplete();
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>One server per application context: test classes that share a cached context share its
 *       server, and it is closed when the context is (a {@code @DirtiesContext}, the cache's
 *       eviction, the end of the run).</li>
 *   <li>The server is {@linkplain FakeKoyebServer#reset() reset} before each test method, before
 *       its {@code @BeforeEach} methods, so that a test sees none of another's snapshots, scripts
 *       or recorded requests.</li>
 *   <li>The client reaches it through a {@code KoyebConnectionDetails} bean (base URL and a token
 *       of its own, which the server requires); the other {@code koyeb.snapshots.*} properties
 *       still apply.</li>
 *   <li>A {@code FakeKoyebServer} bean of the test's own configuration (other delays, a rate
 *       limit) replaces the default one, which is {@code FakeKoyebServer.builder()} with a token and
 *       the default delays.</li>
 * </ul>
 *
 * <p>It follows {@code spring-boot-test-autoconfigure}'s conventions: the auto-configurations it
 * imports (the fake server's and the client's own) are listed in
 * {@code META-INF/spring/}<i>this annotation's name</i>{@code .imports}, so that it also brings the
 * client into a test slice that leaves the client's auto-configuration out, and the annotation
 * takes part in the key of the context cache.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureFakeKoyebServer {
}
