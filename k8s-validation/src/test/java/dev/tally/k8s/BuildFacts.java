package dev.tally.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What the build and the server say that the manifests must agree with: the image names and version from
 * the poms' Jib configuration, the server's port and graceful-shutdown time from its application.yml, and
 * the settings listed in the README's configuration table.
 */
record BuildFacts(String serverImage, String replayImage, String version, String imageUser, int jibServerPort,
                  int serverPort, Duration shutdownPhaseTimeout, Set<String> documentedSettings) {

    private static final Pattern SETTING = Pattern.compile("`(TALLY_[A-Z_]+)`");

    static BuildFacts read(Path repository) {
        Element parent = pom(repository.resolve("pom.xml"));
        Element properties = child(parent, "properties");
        Element commandApi = pom(repository.resolve("command-api/pom.xml"));
        String jibTarget = jibText(commandApi, "to", "image");
        if (!jibTarget.equals("${tally.image.server}:${project.version}")) {
            throw new IllegalStateException("command-api's Jib target is no longer ${tally.image.server}:${project.version}");
        }
        String replayTarget = jibText(pom(repository.resolve("replay-tools/pom.xml")), "to", "image");
        if (!replayTarget.equals("${tally.image.replay}:${project.version}")) {
            throw new IllegalStateException("replay-tools' Jib target is no longer ${tally.image.replay}:${project.version}");
        }
        JsonNode application = Manifests.readOne(repository.resolve("command-api/src/main/resources/application.yml"));
        return new BuildFacts(text(properties, "tally.image.server"), text(properties, "tally.image.replay"),
                text(parent, "version"), text(properties, "tally.image.user"),
                Integer.parseInt(jibText(commandApi, "container", "ports", "port")),
                defaultOf(application.path("server").path("port").asText()),
                Duration.parse("PT" + application.path("spring").path("lifecycle").path("timeout-per-shutdown-phase")
                        .asText().toUpperCase()),
                documentedSettings(repository.resolve("README.md")));
    }

    /** {@code ${TALLY_PORT:8080}} → 8080. */
    private static int defaultOf(String placeholder) {
        return Integer.parseInt(placeholder.substring(placeholder.indexOf(':') + 1, placeholder.indexOf('}')));
    }

    private static Set<String> documentedSettings(Path readme) {
        try {
            String text = Files.readString(readme);
            String table = text.substring(text.indexOf("## Configuration"), text.indexOf("\n## ", text.indexOf("## Configuration") + 1));
            Set<String> settings = new LinkedHashSet<>();
            for (String line : table.lines().filter(line -> line.startsWith("| `TALLY_")).toList()) {
                String firstCell = line.substring(1, line.indexOf('|', 1));
                Matcher matcher = SETTING.matcher(firstCell);
                while (matcher.find()) {
                    settings.add(matcher.group(1));
                }
            }
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jibText(Element pom, String... path) {
        Element build = child(pom, "build");
        Element plugins = child(build, "plugins");
        for (Element plugin : children(plugins, "plugin")) {
            if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
                Element current = child(plugin, "configuration");
                for (int index = 0; index < path.length - 1; index++) {
                    current = child(current, path[index]);
                }
                return text(current, path[path.length - 1]);
            }
        }
        throw new IllegalStateException("no jib-maven-plugin in " + pom.getOwnerDocument().getDocumentURI());
    }

    private static Element pom(Path file) {
        try {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            return document.getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static java.util.List<Element> children(Element parent, String name) {
        java.util.List<Element> found = new java.util.ArrayList<>();
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        java.util.List<Element> found = children(parent, name);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one <" + name + "> in <" + parent.getTagName() + ">");
        }
        return found.get(0);
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }
}
