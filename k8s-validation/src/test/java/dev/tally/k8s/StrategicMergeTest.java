package dev.tally.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

// Goal: the renderer's strategic merge behaves as the Kubernetes API's does for the fields the overlays patch.
class StrategicMergeTest {

    @Test
    void canMergeContainersByNameAndKeepTheirOtherFields() throws Exception {
        ObjectNode target = yaml("""
                containers:
                  - name: tally
                    image: a
                    env: [{name: A, value: "1"}]
                    envFrom: [{configMapRef: {name: x}}]
                """);
        StrategicMerge.apply(target, yaml("""
                containers:
                  - name: tally
                    env: [{name: B, value: "2"}]
                    envFrom: [{configMapRef: {name: y}}]
                  - name: sidecar
                    image: b
                """));
        assertThat(target.path("containers")).hasSize(2);
        assertThat(target.path("containers").get(0).path("image").asText()).isEqualTo("a");
        assertThat(target.path("containers").get(0).path("env")).hasSize(2);
        assertThat(target.path("containers").get(0).path("envFrom").toString())
                .as("lists without a merge key are replaced").isEqualTo("[{\"configMapRef\":{\"name\":\"y\"}}]");
    }

    @Test
    void canRemoveAFieldWithNull() throws Exception {
        ObjectNode target = yaml("spec: {replicas: 2, paused: false}");
        StrategicMerge.apply(target, yaml("spec: {replicas: null}"));
        assertThat(target.path("spec").has("replicas")).isFalse();
        assertThat(target.path("spec").has("paused")).isTrue();
    }

    @Test
    void cannotUsePatchDirectives() throws Exception {
        ObjectNode target = yaml("spec: {}");
        assertThatThrownBy(() -> StrategicMerge.apply(target, yaml("spec: {$patch: replace}")))
                .hasMessageContaining("not supported");
    }

    @Test
    void canTellARegistryPortFromATag() {
        assertThat(ContainerImage.parse("registry:5000/tally")).isEqualTo(new ContainerImage("registry:5000/tally", null));
        assertThat(ContainerImage.parse("ghcr.io/x/tally:1.0")).isEqualTo(new ContainerImage("ghcr.io/x/tally", "1.0"));
    }

    private static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) Manifests.YAML.readTree(text);
    }
}
