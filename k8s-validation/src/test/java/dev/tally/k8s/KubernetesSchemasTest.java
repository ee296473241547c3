package dev.tally.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Goal: the schema lookup names files as yannh/kubernetes-json-schema does, and a strict schema's complaints reach the test.
class KubernetesSchemasTest {

    @Test
    void canNameTheSchemaFileOfCoreAndGroupedKinds() throws Exception {
        assertThat(KubernetesSchemas.fileName(yaml("{apiVersion: v1, kind: ConfigMap}"))).isEqualTo("configmap-v1.json");
        assertThat(KubernetesSchemas.fileName(yaml("{apiVersion: apps/v1, kind: Deployment}")))
                .isEqualTo("deployment-apps-v1.json");
        assertThat(KubernetesSchemas.fileName(yaml("{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy}")))
                .isEqualTo("networkpolicy-networking-v1.json");
        assertThat(KubernetesSchemas.fileName(yaml("{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler}")))
                .isEqualTo("horizontalpodautoscaler-autoscaling-v2.json");
    }

    @Test
    void canReportAnUnknownFieldAndSayWhenNoSchemaIsVendored(@TempDir Path schemas) throws Exception {
        Path directory = Files.createDirectories(schemas.resolve(KubernetesSchemas.KUBERNETES_VERSION + "-standalone-strict"));
        Files.writeString(directory.resolve("configmap-v1.json"), """
                {"type": "object", "additionalProperties": false,
                 "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                                "metadata": {"type": "object"}, "data": {"type": "object"}}}""");
        KubernetesSchemas kubernetes = new KubernetesSchemas(schemas);

        assertThat(kubernetes.validate(yaml("{apiVersion: v1, kind: ConfigMap, data: {A: b}}"))).hasValue(java.util.List.of());
        assertThat(kubernetes.validate(yaml("{apiVersion: v1, kind: ConfigMap, datta: {A: b}}")).orElseThrow())
                .singleElement().asString().contains("datta");
        assertThat(kubernetes.validate(yaml("{apiVersion: v1, kind: Secret}"))).isEmpty();
    }

    private static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) Manifests.YAML.readTree(text);
    }
}
