package it.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivekoyeb.snapshots.ReactiveSnapshotsClient;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The artifact as a user's build gets it from a repository: the jar this application runs with,
 * and the pom, sources and Javadoc installed beside it (.ci/run installs what the library's
 * {@code mvn verify} built). Runs in it/boot-app and it/spring-app, on every line.
 */
class PublishedArtifactTest {

    private static final String MODULE = "io.github.reactivekoyeb.snapshots";

    private static Path jar;
    private static Document pom;

    @BeforeAll
    static void locate() throws Exception {
        jar = Path.of(ReactiveSnapshotsClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(jar.getFileName().toString()).as("the library comes from a repository, as a jar")
                .matches("koyeb-snapshots-reactive-.+\\.jar");
        assertThat(jar.getParent().getParent().getFileName().toString()).isEqualTo("koyeb-snapshots-reactive");
        Path pomFile = sibling("", "pom");
        assertThat(pomFile).exists();
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pomFile.toFile());
    }

    @Test
    void thePublishedPomImportsNoBomAndNamesEveryVersion() throws Exception {
        Element project = pom.getDocumentElement();
        assertThat(childNames(project)).as("what a consumer's build must not inherit")
                .doesNotContain("parent", "dependencyManagement", "profiles", "properties", "build", "repositories");
        String text = Files.readString(sibling("", "pom"), StandardCharsets.UTF_8);
        assertThat(text).as("nothing left for the consumer's build to interpolate").doesNotContain("${");

        Map<String, Element> dependencies = new LinkedHashMap<>();
        for (Element dependency : elements(child(project, "dependencies"), "dependency")) {
            dependencies.put(text(dependency, "groupId") + ":" + text(dependency, "artifactId"), dependency);
        }
        assertThat(dependencies.keySet()).as("exactly the runtime dependencies, no test ones").containsExactlyInAnyOrder(
                "org.springframework:spring-webflux", "org.springframework:spring-context",
                "io.projectreactor.netty:reactor-netty-http", "com.fasterxml.jackson.core:jackson-core",
                "com.fasterxml.jackson.core:jackson-annotations", "org.jspecify:jspecify",
                "org.springframework.boot:spring-boot-autoconfigure", "io.micrometer:micrometer-core",
                "io.lettuce:lettuce-core", "org.springframework.data:spring-data-redis",
                "net.javacrumbs.shedlock:shedlock-core",
                "org.junit.jupiter:junit-jupiter-api", "org.springframework:spring-test");
        // every one but the runtime's core is optional: the Boot support, the meters, the shared rate
        // limit (Lettuce, Spring Data Redis), the fleet's lock (ShedLock) and the testing support
        Set<String> optional = Set.of("org.springframework.boot:spring-boot-autoconfigure", "io.micrometer:micrometer-core",
                "io.lettuce:lettuce-core", "org.springframework.data:spring-data-redis",
                "net.javacrumbs.shedlock:shedlock-core",
                "org.junit.jupiter:junit-jupiter-api", "org.springframework:spring-test");
        Pattern version = Pattern.compile("\\d+(\\.\\d+)*([.-][A-Za-z0-9.-]+)?");
        dependencies.forEach((ga, dependency) -> {
            assertThat(text(dependency, "version")).as(ga + " has an explicit version").matches(version);
            assertThat(text(dependency, "scope")).as(ga + "'s scope").isIn("", "compile", "runtime");
            assertThat(text(dependency, "type")).as(ga + " is a jar, not a BOM").isIn("", "jar");
            assertThat(text(dependency, "optional")).as(ga + " optional").isEqualTo(optional.contains(ga) ? "true" : "");
        });
    }

    @Test
    void thePublishedPomCarriesWhatMavenCentralRequires() {
        Element project = pom.getDocumentElement();
        assertThat(text(project, "groupId")).isEqualTo("io.github.reactivekoyeb");
        assertThat(text(project, "artifactId")).isEqualTo("koyeb-snapshots-reactive");
        assertThat(text(project, "name")).isNotBlank();
        assertThat(text(project, "description")).isNotBlank();
        assertThat(text(project, "url")).startsWith("https://");
        Element license = elements(child(project, "licenses"), "license").get(0);
        assertThat(text(license, "name")).isEqualTo("Apache-2.0");
        assertThat(text(license, "url")).isEqualTo("https://www.apache.org/licenses/LICENSE-2.0.txt");
        assertThat(elements(child(project, "developers"), "developer")).isNotEmpty();
        assertThat(text(child(project, "scm"), "url")).startsWith("https://");
        assertThat(text(child(project, "scm"), "connection")).startsWith("scm:git:");
        assertThat(text(child(project, "issueManagement"), "url")).startsWith("https://");
    }

    @Test
    void theJarNamesItsModuleAndCarriesTheLicence() throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo(MODULE);
            assertThat(new String(file.getInputStream(file.getEntry("META-INF/LICENSE")).readAllBytes(),
                    StandardCharsets.UTF_8)).contains("Apache License", "Version 2.0, January 2004");
        }
        // on the module path the jar is the automatic module of that name, with every public package
        List<ModuleReference> modules = new ArrayList<>(ModuleFinder.of(jar).findAll());
        assertThat(modules).hasSize(1);
        ModuleDescriptor descriptor = modules.get(0).descriptor();
        assertThat(descriptor.name()).isEqualTo(MODULE);
        assertThat(descriptor.isAutomatic()).isTrue();
        assertThat(descriptor.packages()).contains(MODULE, MODULE + ".autoconfigure", MODULE + ".testing");
    }

    @Test
    void sourcesAndJavadocAreInstalledBesideTheJar() throws Exception {
        try (JarFile sources = new JarFile(sibling("-sources", "jar").toFile())) {
            assertThat(sources.getEntry("io/github/reactivekoyeb/snapshots/ReactiveSnapshotsClient.java")).isNotNull();
        }
        try (JarFile javadoc = new JarFile(sibling("-javadoc", "jar").toFile())) {
            assertThat(javadoc.getEntry("index.html")).isNotNull();
            String client = new String(javadoc.getInputStream(
                    javadoc.getEntry("io/github/reactivekoyeb/snapshots/ReactiveSnapshotsClient.html")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(client).as("the API's Reactor, Spring and JDK types link to their own Javadoc").contains(
                    "https://projectreactor.io/docs/core/release/api/reactor/core/publisher/Mono.html",
                    "https://docs.spring.io/spring-framework/docs/current/javadoc-api/org/springframework/web/reactive/function/client/WebClient.Builder.html",
                    "https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/time/Duration.html");
            assertThat(javadoc.stream().map(e -> e.getName()).filter(n -> n.contains("/internal/"))
                    .collect(Collectors.toList())).as("internal is not API").isEmpty();
            String overview = new String(javadoc.getInputStream(javadoc.getEntry("overview-summary.html")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(overview + new String(javadoc.getInputStream(javadoc.getEntry("index.html")).readAllBytes(),
                    StandardCharsets.UTF_8)).as("the overview opens with the README's first example")
                    .contains("ReactiveSnapshotsClient.builder()");
        }
    }

    private static Path sibling(String classifier, String extension) {
        String name = jar.getFileName().toString();
        return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + classifier + "." + extension);
    }

    private static List<String> childNames(Element parent) {
        List<String> names = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) {
                names.add(n.getNodeName());
            }
        }
        return names;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && n.getNodeName().equals(name)) {
                return (Element) n;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getNodeName() + ">");
    }

    private static List<Element> elements(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }

    /** The text of a direct child, or "" when there is none. */
    private static String text(Element parent, String name) {
        for (Element e : elements(parent, name)) {
            return e.getTextContent().trim();
        }
        return "";
    }
}
