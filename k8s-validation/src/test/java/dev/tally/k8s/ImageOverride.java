package dev.tally.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Kustomize's {@code images} entry: a container image called {@code name} gets {@code newName} and {@code newTag}. */
final class ImageOverride {

    private ImageOverride() {
    }

    static void apply(ObjectNode object, JsonNode image) {
        for (ObjectNode container : PodTemplates.containers(object)) {
            ContainerImage current = ContainerImage.parse(container.path("image").asText());
            if (current.name().equals(image.path("name").asText())) {
                String name = image.has("newName") ? image.get("newName").asText() : current.name();
                String tag = image.has("newTag") ? image.get("newTag").asText() : current.tag();
                container.put("image", tag == null ? name : name + ":" + tag);
            }
        }
    }
}
