package dev.tally.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Kubernetes' strategic merge patch, for the fields Tally's overlays patch: mappings merge recursively, a null
 * removes a field, lists with a merge key in the Kubernetes API (containers, env, volumes, volume mounts,
 * ports) merge element by element, every other list is replaced, as the API server does for them.
 * Patch directives ({@code $patch}, {@code $setElementOrder}) are not supported and are refused.
 */
final class StrategicMerge {

    /** The Kubernetes API's patchMergeKey of each list field the overlays may patch. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "imagePullSecrets", "name");

    private StrategicMerge() {
    }

    static void apply(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.startsWith("$")) {
                throw new IllegalArgumentException("patch directive " + name + " is not supported by this renderer");
            }
            JsonNode existing = target.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                apply((ObjectNode) existing, (ObjectNode) value);
            } else if (value.isArray() && existing != null && existing.isArray() && mergeKey(name, value) != null) {
                mergeList((ArrayNode) existing, (ArrayNode) value, mergeKey(name, value));
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    /** Container ports merge by containerPort, a Service's by port; see {@link #MERGE_KEYS} for the rest. */
    private static String mergeKey(String field, JsonNode patchList) {
        if (field.equals("ports")) {
            JsonNode first = patchList.path(0);
            return first.has("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String key) {
        for (JsonNode patchElement : patch) {
            if (!patchElement.isObject() || !patchElement.has(key)) {
                throw new IllegalArgumentException("a patched list element has no merge key " + key + ": " + patchElement);
            }
            ObjectNode match = null;
            for (JsonNode element : target) {
                if (element.path(key).equals(patchElement.get(key))) {
                    match = (ObjectNode) element;
                }
            }
            if (match == null) {
                target.add(patchElement.deepCopy());
            } else {
                apply(match, (ObjectNode) patchElement);
            }
        }
    }
}
