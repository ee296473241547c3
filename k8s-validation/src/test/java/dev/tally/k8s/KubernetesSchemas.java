package dev.tally.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Kubernetes API's JSON schemas vendored under {@code k8s/schemas/fabric8-kubernetes-model-<version>/}: the
 * {@code schema/validation-schema.json} of fabric8's kubernetes-model jars, kept byte for byte as published (see
 * {@code k8s/schemas/README.md}). Those schemas describe fabric8's Java model, which is more lenient than the API
 * server and models a few values by their Java shape, so they are adapted here, in memory, when loaded:
 * <ul>
 *   <li>Strict: every object schema that declares {@code properties} refuses other fields
 *       ({@code additionalProperties: false}), as the API server does under strict field validation (kubectl's
 *       default). Maps keep their schema-valued {@code additionalProperties} (labels, annotations, {@code data},
 *       resource limits, {@code nodeSelector}, {@code matchLabels}), and so does anything fabric8 types as a
 *       {@code java.util.Map}.</li>
 *   <li>fabric8's {@code "required": true} inside a property, which is not JSON Schema, is dropped: it marks only
 *       {@code apiVersion} and {@code kind}, on every resource class, including those nested where Kubernetes
 *       does not ask for them (a StatefulSet's {@code volumeClaimTemplates}). The validated object itself must
 *       carry both, or it has no schema to be validated against; its schema also lists them as required.</li>
 *   <li>IntOrString, Quantity and MicroTime are described by their Java fields ({@code IntVal}, {@code Format}, …);
 *       in the API they are scalars: an integer or a string; a number or a quantity string
 *       ({@link #QUANTITY}); a timestamp string.</li>
 * </ul>
 * Each object is validated against the definition that fabric8 generates a class for whose {@code apiVersion}
 * and {@code kind} defaults are the object's own; an object no vendored file defines is a problem, not a skip.
 */
final class KubernetesSchemas {

    static final String FABRIC8_VERSION = "6.13.4";
    static final String DIRECTORY = "fabric8-kubernetes-model-" + FABRIC8_VERSION;
    /** The API server's quantity grammar (apimachinery's resource.Quantity): a signed decimal, then a binary or
     * decimal SI suffix or an exponent. */
    static final String QUANTITY = "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path directory;
    private final Map<String, Definition> byApiVersionAndKind;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

    private record Definition(Path file, ObjectNode definitions, String key) {
    }

    private KubernetesSchemas(Path directory, Map<String, Definition> byApiVersionAndKind) {
        this.directory = directory;
        this.byApiVersionAndKind = byApiVersionAndKind;
    }

    /** Reads every {@code *.json} in {@code directory}; fails when there is none. */
    static KubernetesSchemas load(Path directory) {
        ObjectMapper json = new ObjectMapper();
        Map<String, Definition> kinds = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.isDirectory(directory) ? Files.list(directory) : Stream.empty()) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no Kubernetes schemas in " + directory + " (see k8s/schemas/README.md)");
        }
        for (Path file : files) {
            ObjectNode definitions;
            try {
                definitions = (ObjectNode) json.readTree(file.toFile()).required("definitions");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            adapt(definitions);
            definitions.fields().forEachRemaining(entry -> {
                JsonNode definition = entry.getValue();
                String apiVersion = definition.path("properties").path("apiVersion").path("default").asText("");
                String kind = definition.path("properties").path("kind").path("default").asText("");
                // Each file repeats the definitions it refers to from other modules (existingJavaType); only the
                // module that generates the class (javaType) is indexed, so every kind has exactly one home.
                if (apiVersion.isEmpty() || kind.isEmpty() || !definition.has("javaType")) {
                    return;
                }
                Definition previous = kinds.put(key(apiVersion, kind), new Definition(file, definitions, entry.getKey()));
                if (previous != null && !previous.file().equals(file)) {
                    throw new IllegalStateException(key(apiVersion, kind) + " is defined by both " + previous.file()
                            + " and " + file);
                }
            });
        }
        return new KubernetesSchemas(directory, kinds);
    }

    /** {@code apiVersion kind} of every object these schemas can validate. */
    Set<String> kinds() {
        return byApiVersionAndKind.keySet();
    }

    /** Where {@code object}'s schema is defined, as {@code file#/definitions/key}, or empty. */
    String definitionOf(JsonNode object) {
        Definition definition = byApiVersionAndKind.get(key(object));
        return definition == null ? "" : directory.relativize(definition.file()) + "#/definitions/" + definition.key();
    }

    /** Everything the API server's schema refuses in {@code object}; a missing schema is one such problem. */
    List<String> validate(JsonNode object) {
        String key = key(object);
        Definition definition = byApiVersionAndKind.get(key);
        if (definition == null) {
            return List.of("no Kubernetes schema for apiVersion " + object.path("apiVersion") + " kind "
                    + object.path("kind") + " in " + directory + " (see k8s/schemas/README.md)");
        }
        Schema schema = compiled.computeIfAbsent(key, unused -> registry.getSchema(root(definition)));
        return schema.validate(object).stream().map(Error::toString).toList();
    }

    private static String key(JsonNode object) {
        return key(object.path("apiVersion").asText(""), object.path("kind").asText(""));
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    /** A document whose root is the kind's definition, with the file's definitions for its references. */
    private static ObjectNode root(Definition definition) {
        ObjectNode root = NODES.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        // allOf, not a bare $ref: draft 7 ignores every keyword beside a $ref, and "required" must apply.
        root.putArray("allOf").addObject().put("$ref", "#/definitions/" + definition.key());
        root.putArray("required").add("apiVersion").add("kind");
        root.set("definitions", definition.definitions());
        return root;
    }

    /** The in-memory adaptations described on the class, applied to one file's definitions. */
    private static void adapt(ObjectNode definitions) {
        definitions.fields().forEachRemaining(entry -> {
            JsonNode scalar = scalarFor(javaType(entry.getValue()));
            if (scalar != null) {
                entry.setValue(scalar);
            }
        });
        definitions.forEach(KubernetesSchemas::tighten);
    }

    private static String javaType(JsonNode schema) {
        return schema.path("javaType").asText(schema.path("existingJavaType").asText(""));
    }

    /** The API's JSON form of a definition fabric8 describes by its Java fields; null for all others. */
    private static JsonNode scalarFor(String javaType) {
        String simpleName = javaType.substring(javaType.lastIndexOf('.') + 1);
        return switch (simpleName) {
            case "IntOrString" -> anyOf(NODES.objectNode().put("type", "integer"), NODES.objectNode().put("type", "string"));
            case "Quantity" -> anyOf(NODES.objectNode().put("type", "number"),
                    NODES.objectNode().put("type", "string").put("pattern", QUANTITY));
            case "MicroTime" -> NODES.objectNode().put("type", "string");
            default -> null;
        };
    }

    private static ObjectNode anyOf(ObjectNode... alternatives) {
        ObjectNode schema = NODES.objectNode();
        ArrayNode anyOf = schema.putArray("anyOf");
        for (ObjectNode alternative : alternatives) {
            anyOf.add(alternative);
        }
        return schema;
    }

    /** Closes {@code schema} and every schema nested in it, following the keywords fabric8 uses to nest. */
    private static void tighten(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        if (object.get("properties") instanceof ObjectNode properties) {
            boolean map = javaType(object).startsWith("java.util.Map");
            JsonNode additional = object.get("additionalProperties");
            if (!map && (additional == null || additional.isBoolean())) {
                object.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> it = properties.elements(); it.hasNext(); ) {
                JsonNode property = it.next();
                if (property instanceof ObjectNode propertySchema && propertySchema.path("required").isBoolean()) {
                    propertySchema.remove("required");
                }
                tighten(property);
            }
        }
        tighten(object.get("items"));
        tighten(object.get("additionalProperties"));
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            object.path(combinator).forEach(KubernetesSchemas::tighten);
        }
    }
}
