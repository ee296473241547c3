package dev.tally.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The pod template of a workload (Deployment, StatefulSet, Job), and its containers. */
final class PodTemplates {

    private PodTemplates() {
    }

    static JsonNode podSpec(JsonNode object) {
        return object.path("spec").path("template").path("spec");
    }

    static List<ObjectNode> containers(JsonNode object) {
        List<ObjectNode> containers = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            podSpec(object).path(field).forEach(container -> containers.add((ObjectNode) container));
        }
        return containers;
    }
}
