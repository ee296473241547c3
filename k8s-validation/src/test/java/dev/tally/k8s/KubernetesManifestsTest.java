package dev.tally.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

// Goal: every overlay renders, every object fits the Kubernetes API's schema, and the manifests agree with the build
// (image names, version, port, user), the server (roles, probes, shutdown time) and the README's settings.
class KubernetesManifestsTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("tally.repository", "..")).toAbsolutePath().normalize();
    private static final List<String> OVERLAYS = List.of("dev", "prod");
    private static final List<String> ROLES = List.of("api", "projections", "integrations", "scheduler");
    /** Settings kept in Secrets the operator creates, never in the ConfigMap. */
    private static final Set<String> SECRET_SETTINGS = Set.of("TALLY_DB_URL", "TALLY_DB_USER", "TALLY_DB_PASSWORD",
            "TALLY_DB_MIGRATION_USER", "TALLY_DB_MIGRATION_PASSWORD", "TALLY_BOOTSTRAP_ADMIN_KEY",
            "TALLY_ORB_API_KEY", "TALLY_ORB_WEBHOOK_SECRET", "TALLY_STRIPE_API_KEY", "TALLY_STRIPE_WEBHOOK_SECRET");
    /** Settings of the embedded PostgreSQL, which a cluster never uses; and the role, set per Deployment. */
    // TALLY_WAREHOUSE_BIGQUERY_HOST points the export at an emulator or test fake, never at a cluster's BigQuery.
    private static final Set<String> NOT_CLUSTER_WIDE = Set.of("TALLY_DATA_DIR", "TALLY_EMBEDDED_DB_PORT", "TALLY_ROLES",
            "TALLY_WAREHOUSE_BIGQUERY_HOST");
    /** How long the preStop sleep may add to the graceful shutdown, and the margin after both. */
    private static final Duration SHUTDOWN_MARGIN_MIN = Duration.ofSeconds(5);

    private final BuildFacts build = BuildFacts.read(REPOSITORY);
    /** Loaded once: the six vendored files are 1.4 MB of JSON. */
    private static final KubernetesSchemas SCHEMAS =
            KubernetesSchemas.load(REPOSITORY.resolve("k8s/schemas").resolve(KubernetesSchemas.DIRECTORY));

    private static Map<String, List<ObjectNode>> rendered() {
        Map<String, List<ObjectNode>> overlays = new TreeMap<>();
        for (String overlay : OVERLAYS) {
            overlays.put(overlay, Kustomization.render(REPOSITORY.resolve("k8s/overlays").resolve(overlay)));
        }
        return overlays;
    }

    @TestFactory
    Stream<DynamicTest> everyRenderedObjectFitsItsKubernetesSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        rendered().forEach((overlay, objects) -> objects.forEach(object -> tests.add(DynamicTest.dynamicTest(
                overlay + " " + Manifests.id(object), () -> assertThat(SCHEMAS.validate(object))
                        .as(overlay + " " + Manifests.id(object) + " against " + SCHEMAS.definitionOf(object))
                        .isEmpty()))));
        return tests.stream();
    }

    @Test
    void everyOverlayRunsEachRoleAsItsOwnDeploymentOfTheServerImage() {
        rendered().forEach((overlay, objects) -> {
            for (String role : ROLES) {
                JsonNode deployment = find(objects, "Deployment", "tally-" + role);
                ObjectNode container = PodTemplates.containers(deployment).get(0);
                assertThat(env(container, "TALLY_ROLES")).as(overlay + " " + role).isEqualTo(role);
                assertThat(env(container, "SPRING_FLYWAY_ENABLED")).as("roles never migrate").isEqualTo("false");
                assertThat(container.path("image").asText()).as(overlay + " " + role)
                        .isEqualTo(build.serverImage() + ":" + build.version());
            }
            JsonNode migration = find(objects, "Job", "tally-migrate");
            ObjectNode migrate = PodTemplates.containers(migration).get(0);
            assertThat(env(migrate, "TALLY_ROLES")).isEqualTo("migrate");
            assertThat(migrate.path("image").asText()).isEqualTo(build.serverImage() + ":" + build.version());
        });
    }

    @Test
    void theServerListensWhereTheImageAndTheManifestsSay() {
        assertThat(build.serverPort()).as("application.yml").isEqualTo(8080);
        assertThat(build.jibServerPort()).as("Jib's exposed port").isEqualTo(build.serverPort());
        assertThat(build.serverImage()).isEqualTo("ghcr.io/tally-ledger/tally-server");
        assertThat(build.replayImage()).isEqualTo("ghcr.io/tally-ledger/tally-replay");
        rendered().forEach((overlay, objects) -> {
            assertThat(find(objects, "ConfigMap", "tally-config").path("data").path("TALLY_PORT").asText())
                    .isEqualTo(String.valueOf(build.serverPort()));
            for (String role : ROLES) {
                JsonNode port = PodTemplates.containers(find(objects, "Deployment", "tally-" + role)).get(0)
                        .path("ports").get(0);
                assertThat(port.path("name").asText()).isEqualTo("http");
                assertThat(port.path("containerPort").asInt()).as(overlay + " " + role).isEqualTo(build.serverPort());
            }
            JsonNode service = find(objects, "Service", "tally-api");
            assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("http");
        });
    }

    @Test
    void everyTallyWorkloadIsProbedLimitedAndLockedDown() {
        long imageUser = Long.parseLong(build.imageUser().split(":")[0]);
        rendered().forEach((overlay, objects) -> {
            List<ObjectNode> workloads = objects.stream()
                    .filter(object -> Set.of("Deployment", "StatefulSet", "Job").contains(object.path("kind").asText()))
                    .toList();
            // The checks below run per workload: they must have found the server's, or they checked nothing.
            List<String> expected = new ArrayList<>(ROLES.stream().map(role -> "Deployment/tally-" + role).toList());
            expected.add("Job/tally-migrate");
            assertThat(workloads).extracting(Manifests::id).as(overlay + " workloads").containsAll(expected);
            assertThat(workloads).filteredOn(workload -> workload.path("metadata").path("labels")
                    .path("app.kubernetes.io/name").asText().equals("tally")).extracting(Manifests::id)
                    .as(overlay + " workloads labelled as the server's").containsAll(expected);
            workloads.forEach(workload -> {
                String id = overlay + " " + Manifests.id(workload);
                JsonNode pod = PodTemplates.podSpec(workload).path("securityContext");
                assertThat(pod.path("runAsNonRoot").asBoolean()).as(id).isTrue();
                assertThat(pod.path("runAsUser").asLong()).as(id).isPositive();
                assertThat(pod.path("seccompProfile").path("type").asText()).as(id).isEqualTo("RuntimeDefault");
                boolean tally = workload.path("metadata").path("labels").path("app.kubernetes.io/name").asText()
                        .equals("tally");
                if (tally) {
                    assertThat(pod.path("runAsUser").asLong()).as(id + " runs as the image's user").isEqualTo(imageUser);
                }
                assertThat(PodTemplates.containers(workload)).as(id + " containers").isNotEmpty();
                for (ObjectNode container : PodTemplates.containers(workload)) {
                    assertLockedDown(id, container);
                    if (!workload.path("kind").asText().equals("Job")) {
                        assertThat(container.has("livenessProbe") && container.has("readinessProbe")).as(id).isTrue();
                    }
                    if (tally && !workload.path("kind").asText().equals("Job")) {
                        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                                .isEqualTo("/actuator/health/liveness");
                        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                                .isEqualTo("/actuator/health/readiness");
                    }
                }
            });
        });
    }

    @Test
    void podsOutliveTheServersGracefulShutdown() {
        rendered().forEach((overlay, objects) -> {
            for (String role : ROLES) {
                JsonNode deployment = find(objects, "Deployment", "tally-" + role);
                long preStopSeconds = PodTemplates.containers(deployment).get(0).path("lifecycle").path("preStop")
                        .path("sleep").path("seconds").asLong();
                long graceSeconds = PodTemplates.podSpec(deployment).path("terminationGracePeriodSeconds").asLong();
                assertThat(preStopSeconds).as(role + " drains endpoints first").isPositive();
                assertThat(Duration.ofSeconds(graceSeconds)).as(overlay + " " + role).isGreaterThanOrEqualTo(
                        Duration.ofSeconds(preStopSeconds).plus(build.shutdownPhaseTimeout()).plus(SHUTDOWN_MARGIN_MIN));
            }
        });
    }

    @Test
    void everyDocumentedSettingHasItsPlaceInTheCluster() {
        assertThat(build.documentedSettings()).contains("TALLY_PORT", "TALLY_DB_URL", "TALLY_ROLES");
        rendered().forEach((overlay, objects) -> {
            JsonNode config = find(objects, "ConfigMap", "tally-config").path("data");
            for (String setting : build.documentedSettings()) {
                boolean placed = config.has(setting) || SECRET_SETTINGS.contains(setting)
                        || NOT_CLUSTER_WIDE.contains(setting);
                assertThat(placed).as(overlay + ": " + setting + " is in neither tally-config nor a Secret").isTrue();
            }
            assertThat(config.has("TALLY_DB_URL")).as("the database URL is a secret").isFalse();
        });
    }

    @Test
    void overlaysApplyTheirPatchesNamespaceAndReplicas() {
        Map<String, List<ObjectNode>> overlays = rendered();
        List<ObjectNode> prod = overlays.get("prod");
        assertThat(find(prod, "Deployment", "tally-projections").path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(find(prod, "HorizontalPodAutoscaler", "tally-api").path("spec").path("minReplicas").asInt()).isEqualTo(3);
        assertThat(prod).allSatisfy(object ->
                assertThat(object.path("metadata").path("namespace").asText()).isEqualTo("tally"));
        ObjectNode integrations = PodTemplates.containers(find(prod, "Deployment", "tally-integrations")).get(0);
        assertThat(integrations.path("volumeMounts")).hasSize(2);
        assertThat(integrations.path("readinessProbe").isObject()).as("the patch keeps the base's fields").isTrue();
        List<ObjectNode> dev = overlays.get("dev");
        assertThat(find(dev, "StatefulSet", "tally-postgres").path("spec").path("volumeClaimTemplates")).hasSize(1);
        assertThat(find(dev, "Deployment", "tally-api").path("spec").has("replicas"))
                .as("the autoscaler owns the API's replicas").isFalse();
    }

    @Test
    void everyOverlayAlertsOnStalledViewsAndDeadLettersWithMetricsTheServerExports() throws Exception {
        String metricsSource = java.nio.file.Files.readString(REPOSITORY.resolve(
                "command-api/src/main/java/dev/tally/server/processing/ProcessorMetrics.java"));
        rendered().forEach((overlay, objects) -> {
            JsonNode rules;
            try {
                rules = Manifests.YAML.readTree(find(objects, "ConfigMap", "tally-alert-rules").path("data")
                        .path("tally.rules.yaml").asText());
            } catch (java.io.IOException unreadable) {
                throw new AssertionError(overlay + ": the alert rules are not YAML", unreadable);
            }
            List<String> alerts = new ArrayList<>();
            for (JsonNode group : rules.path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String alert = rule.path("alert").asText();
                    alerts.add(alert);
                    assertThat(rule.path("for").asText()).as(overlay + " " + alert).isNotEmpty();
                    assertThat(rule.path("labels").path("severity").asText()).as(overlay + " " + alert).isNotEmpty();
                    assertThat(rule.path("annotations").path("summary").asText()).as(overlay + " " + alert).isNotEmpty();
                    java.util.regex.Matcher metric = java.util.regex.Pattern.compile("tally_[a-z_]+")
                            .matcher(rule.path("expr").asText());
                    assertThat(metric.find()).as(overlay + " " + alert + " watches a Tally metric").isTrue();
                    // Micrometer's Prometheus names: dots become underscores, a base unit is appended.
                    String registered = metric.group().replaceFirst("_events$", "").replace('_', '.');
                    assertThat(metricsSource).as(overlay + " " + alert + ": the server registers " + registered)
                            .contains("\"" + registered + "\"");
                }
            }
            assertThat(alerts).contains("TallyAccountViewsStalled", "TallyProcessorDeadLetters");
        });
    }

    private static void assertLockedDown(String id, JsonNode container) {
        JsonNode security = container.path("securityContext");
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(id).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").isBoolean()
                && !security.path("allowPrivilegeEscalation").asBoolean()).as(id).isTrue();
        assertThat(security.path("capabilities").path("drop").toString()).as(id).isEqualTo("[\"ALL\"]");
        JsonNode resources = container.path("resources");
        for (String kind : List.of("requests", "limits")) {
            assertThat(resources.path(kind).has("cpu") && resources.path(kind).has("memory")).as(id + " " + kind).isTrue();
        }
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(mount -> mounts.add(mount.path("mountPath").asText()));
        assertThat(mounts).as(id + " writes temporary files to a volume").contains("/tmp");
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText();
            }
        }
        return null;
    }

    private static JsonNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(object -> Manifests.id(object).equals(kind + "/" + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }
}
