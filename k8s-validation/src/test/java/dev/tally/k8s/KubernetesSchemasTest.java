package dev.tally.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Goal: the vendored schemas, as the validator adapts them, refuse what the API server refuses under strict field
// validation (unknown fields, wrong types) and accept what it accepts (maps, int-or-string, quantities); an object
// of a kind no schema defines fails.
class KubernetesSchemasTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("tally.repository", "..")).toAbsolutePath().normalize();
    private static final KubernetesSchemas SCHEMAS =
            KubernetesSchemas.load(REPOSITORY.resolve("k8s/schemas").resolve(KubernetesSchemas.DIRECTORY));

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: example, labels: {app.kubernetes.io/name: example}, annotations: {any/key: "1"}}
            spec:
              replicas: 2
              selector: {matchLabels: {app.kubernetes.io/name: example}}
              strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: "25%"}}
              template:
                metadata: {labels: {app.kubernetes.io/name: example}}
                spec:
                  nodeSelector: {kubernetes.io/os: linux}
                  containers:
                    - name: example
                      image: example:1
                      imagePullPolicy: IfNotPresent
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /, port: http}}
                      livenessProbe: {httpGet: {path: /, port: 8080}}
                      resources: {requests: {cpu: 100m, memory: 256Mi}, limits: {cpu: 1, memory: 1.5Gi}}
                      lifecycle: {preStop: {sleep: {seconds: 10}}}
            """;

    @Test
    void canFindTheSchemaOfEveryKindTheManifestsUse() {
        assertThat(SCHEMAS.kinds()).contains("v1 ConfigMap", "v1 Secret", "v1 Service", "v1 ServiceAccount",
                "apps/v1 Deployment", "apps/v1 StatefulSet", "batch/v1 Job", "networking.k8s.io/v1 Ingress",
                "networking.k8s.io/v1 NetworkPolicy", "autoscaling/v2 HorizontalPodAutoscaler",
                "policy/v1 PodDisruptionBudget");
        assertThat(SCHEMAS.definitionOf(yaml("{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler}")))
                .isEqualTo("kubernetes-model-autoscaling.json#/definitions/kubernetes_autoscaling_v2_HorizontalPodAutoscaler");
    }

    @Test
    void canAcceptAValidDeploymentWithItsMapsIntOrStringsAndQuantities() {
        assertThat(SCHEMAS.validate(yaml(DEPLOYMENT))).isEmpty();
    }

    @Test
    void canRejectAMisspelledFieldAndAWrongType() {
        ObjectNode misspelled = yaml(DEPLOYMENT);
        ObjectNode container = (ObjectNode) misspelled.at("/spec/template/spec/containers/0");
        container.set("imagePullPolicyy", container.remove("imagePullPolicy"));
        assertThat(SCHEMAS.validate(misspelled)).singleElement().asString().contains("imagePullPolicyy");

        ObjectNode wrongType = yaml(DEPLOYMENT);
        ((ObjectNode) wrongType.get("spec")).put("replicas", "two");
        assertThat(SCHEMAS.validate(wrongType)).singleElement().asString().contains("/spec/replicas");
    }

    @Test
    void canRejectUnknownFieldsAtEveryLevelButTheMaps() {
        assertThat(SCHEMAS.validate(yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, datta: {A: b}}")))
                .singleElement().asString().contains("datta");
        assertThat(SCHEMAS.validate(yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, labelz: {}}}")))
                .singleElement().asString().contains("labelz");
        assertThat(SCHEMAS.validate(yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {ANY_KEY: b}}")))
                .isEmpty();
        assertThat(SCHEMAS.validate(yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {A: 1}}")))
                .as("ConfigMap values are strings").isNotEmpty();
    }

    @Test
    void canTellAQuantityAndAnIntOrStringFromTheirJavaShape() {
        ObjectNode megabytes = yaml(DEPLOYMENT);
        ((ObjectNode) megabytes.at("/spec/template/spec/containers/0/resources/limits")).put("memory", "1GB");
        assertThat(SCHEMAS.validate(megabytes)).isNotEmpty();

        ObjectNode javaShaped = yaml(DEPLOYMENT);
        ((ObjectNode) javaShaped.at("/spec/template/spec/containers/0/readinessProbe/httpGet")).set("port",
                yaml("{IntVal: 8080}"));
        assertThat(SCHEMAS.validate(javaShaped)).isNotEmpty();
    }

    @Test
    void canAcceptNestedResourcesWithoutApiVersionAndKind() {
        // fabric8 marks apiVersion and kind "required": true on every resource class; Kubernetes asks for neither
        // in a StatefulSet's volumeClaimTemplates.
        assertThat(SCHEMAS.validate(yaml("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db:1}]}}
                  volumeClaimTemplates:
                    - metadata: {name: data}
                      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                """))).isEmpty();
    }

    @Test
    void canFailAnObjectOfAKindNoSchemaDefines() {
        assertThat(SCHEMAS.validate(yaml("{apiVersion: apps/v2, kind: Deployment, metadata: {name: a}}")))
                .singleElement().asString().contains("apps/v2", "Deployment", "no Kubernetes schema");
        assertThat(SCHEMAS.validate(yaml("{apiVersion: example.com/v1, kind: Widget}")))
                .singleElement().asString().contains("Widget");
    }

    @Test
    void canRefuseToStartWithoutSchemas(@TempDir Path empty) {
        assertThatThrownBy(() -> KubernetesSchemas.load(empty)).hasMessageContaining("no Kubernetes schemas");
    }

    private static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Manifests.YAML.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
