package dev.tally.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset Tally's manifests use:
 * {@code resources} (files and directories holding a kustomization), {@code patches} given by {@code path}
 * (strategic merge, matched by kind and name), {@code images} ({@code newName}, {@code newTag}) and
 * {@code namespace}. Any other field fails the rendering, so a kustomization cannot quietly outgrow what
 * the build checks.
 */
final class Kustomization {

    private static final Set<String> SUPPORTED_FIELDS = Set.of("apiVersion", "kind", "resources", "patches", "images",
            "namespace");

    private Kustomization() {
    }

    static List<ObjectNode> render(Path directory) {
        ObjectNode kustomization = Manifests.readOne(directory.resolve("kustomization.yaml"));
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw new IllegalArgumentException(directory + ": kustomization field '" + field
                        + "' is outside the subset k8s-validation renders (see k8s/README.md)");
            }
        });
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = directory.resolve(resource.asText()).normalize();
            objects.addAll(Files.isDirectory(path) ? render(path) : Manifests.read(path));
        }
        requireUniqueIds(directory, objects);
        for (JsonNode patch : kustomization.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalArgumentException(directory + ": only patches given by a path alone are supported: " + patch);
            }
            applyPatch(directory, objects, Manifests.readOne(directory.resolve(patch.get("path").asText())));
        }
        for (JsonNode image : kustomization.path("images")) {
            objects.forEach(object -> ImageOverride.apply(object, image));
        }
        if (kustomization.has("namespace")) {
            String namespace = kustomization.get("namespace").asText();
            objects.forEach(object -> ((ObjectNode) object.get("metadata")).put("namespace", namespace));
        }
        return objects;
    }

    private static void applyPatch(Path directory, List<ObjectNode> objects, ObjectNode patch) {
        String id = Manifests.id(patch);
        List<ObjectNode> targets = objects.stream().filter(object -> Manifests.id(object).equals(id)
                && object.path("apiVersion").equals(patch.path("apiVersion"))).toList();
        if (targets.size() != 1) {
            throw new IllegalArgumentException(directory + ": the patch for " + id + " matches " + targets.size()
                    + " objects, not one");
        }
        StrategicMerge.apply(targets.get(0), patch);
    }

    private static void requireUniqueIds(Path directory, List<ObjectNode> objects) {
        Set<String> seen = new HashSet<>();
        for (Iterator<ObjectNode> iterator = objects.iterator(); iterator.hasNext(); ) {
            String id = Manifests.id(iterator.next());
            if (!seen.add(id)) {
                throw new IllegalArgumentException(directory + ": " + id + " is defined twice");
            }
        }
    }
}
