package it.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Compares what an application resolved (maven-dependency-plugin's list) with what its
 * dependency management says (maven-help-plugin's effective pom): the library must upgrade
 * nothing that the application's BOMs manage.
 */
public final class DependencyVersions {

    /** The groups whose every artifact must be at the managed version. */
    public static final List<String> FRAMEWORK_GROUPS = List.of("org.springframework", "io.projectreactor", "io.netty",
            "com.fasterxml.jackson", "tools.jackson");

    private DependencyVersions() {
    }

    /**
     * The artifacts of the framework groups whose resolved version differs from the managed one.
     *
     * @param buildDir the build directory holding resolved-dependencies.txt and effective-pom.xml
     * @param requireManaged whether an artifact of those groups that nothing manages is a mismatch too
     * @return one line per mismatch; empty when all agree
     */
    public static List<String> mismatches(Path buildDir, boolean requireManaged) throws Exception {
        Map<String, String> resolved = resolved(buildDir.resolve("resolved-dependencies.txt"));
        Map<String, String> managed = managed(buildDir.resolve("effective-pom.xml"));
        if (resolved.isEmpty() || managed.isEmpty()) {
            throw new IllegalStateException("nothing read from " + buildDir + ": resolved " + resolved.size()
                    + ", managed " + managed.size());
        }
        List<String> mismatches = new ArrayList<>();
        resolved.forEach((ga, version) -> {
            if (FRAMEWORK_GROUPS.stream().noneMatch(ga::startsWith)) {
                return;
            }
            String wanted = managed.get(ga);
            if (wanted == null ? requireManaged : !wanted.equals(version)) {
                mismatches.add(ga + " resolved at " + version + ", managed " + (wanted == null ? "nowhere" : "at " + wanted));
            }
        });
        return mismatches;
    }

    /**
     * groupId:artifactId to version, from maven-dependency-plugin's {@code list} output.
     *
     * @param file the output file
     * @return the versions
     */
    public static Map<String, String> resolved(Path file) throws IOException {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String coordinates = line.trim().split(" ", 2)[0];
            String[] parts = coordinates.split(":");
            if (parts.length == 5 || parts.length == 6) {
                versions.put(parts[0] + ":" + parts[1], parts[parts.length - 2]);
            }
        }
        return versions;
    }

    /**
     * groupId:artifactId to version, from the dependency management of an effective pom.
     *
     * @param effectivePom the file
     * @return the versions
     */
    public static Map<String, String> managed(Path effectivePom) throws Exception {
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(effectivePom.toFile())
                .getDocumentElement();
        Map<String, String> versions = new LinkedHashMap<>();
        NodeList management = root.getElementsByTagName("dependencyManagement");
        if (management.getLength() == 0) {
            return versions;
        }
        NodeList dependencies = ((Element) management.item(0)).getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            versions.putIfAbsent(text(d, "groupId") + ":" + text(d, "artifactId"), text(d, "version"));
        }
        return versions;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }
}
