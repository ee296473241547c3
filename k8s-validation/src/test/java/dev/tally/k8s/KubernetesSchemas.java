package dev.tally.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Kubernetes API's JSON schemas vendored under {@code k8s/schemas/<version>-standalone-strict/}, named as
 * in yannh/kubernetes-json-schema: {@code <kind>-<group>-<version>.json}, or {@code <kind>-<version>.json} for
 * the core group ({@code deployment-apps-v1.json}, {@code service-v1.json}). Strict: an unknown field is an error,
 * as kubectl's server-side field validation makes it.
 */
final class KubernetesSchemas {

    static final String KUBERNETES_VERSION = "v1.33.4";

    private final Path directory;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private final ObjectMapper json = new ObjectMapper();

    KubernetesSchemas(Path schemasRoot) {
        this.directory = schemasRoot.resolve(KUBERNETES_VERSION + "-standalone-strict");
    }

    static String fileName(JsonNode object) {
        String kind = object.path("kind").asText().toLowerCase(Locale.ROOT);
        String apiVersion = object.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return kind + "-" + apiVersion + ".json";
        }
        String group = apiVersion.substring(0, slash);
        String firstLabel = group.contains(".") ? group.substring(0, group.indexOf('.')) : group;
        return kind + "-" + firstLabel + "-" + apiVersion.substring(slash + 1) + ".json";
    }

    Path fileFor(JsonNode object) {
        return directory.resolve(fileName(object));
    }

    /** The schema's complaints about {@code object}; empty when none was vendored for its kind. */
    Optional<List<String>> validate(JsonNode object) {
        Path file = fileFor(object);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Schema schema = registry.getSchema(json.readTree(file.toFile()));
            return Optional.of(schema.validate(object).stream().map(Error::toString).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
