package dev.tally.server.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.server.testing.Api;
import dev.tally.server.testing.ServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

// Goal: the committed OpenAPI document, from which the test client is generated, is the one the server serves.
class ApiDocumentDriftTest extends ServerTest {

    /** The committed document; the build generates the test client from it (see command-api/pom.xml). */
    static final Path COMMITTED = Path.of("openapi", "tally-api.json");
    /** Where each run writes what the server served, to copy over the committed one after a deliberate change. */
    static final Path SERVED = Path.of("target", "openapi", "tally-api.json");
    /** Differences named in a failure at most; the rest show in a diff of the two files. */
    private static final int DIFFERENCES_SHOWN_MAX = 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        Api.Response served = api().get("/v3/api-docs", null);
        assertThat(served.status()).isEqualTo(200);
        JsonNode document = served.body();
        Files.createDirectories(SERVED.getParent());
        Files.writeString(SERVED, JSON.writeValueAsString(JSON.treeToValue(document, Object.class)) + "\n");

        assertThat(Files.exists(COMMITTED)).as("command-api/" + COMMITTED + " exists").isTrue();
        List<String> differences = new ArrayList<>();
        differences(JSON.readTree(COMMITTED.toFile()), document, "", differences);
        assertThat(differences)
                .as("where the served OpenAPI document differs from command-api/%s (first %d); after a deliberate "
                        + "change of the API, copy command-api/%s over it and commit it", COMMITTED,
                        DIFFERENCES_SHOWN_MAX, SERVED)
                .isEmpty();
    }

    /** The JSON pointers at which the two trees differ, member order aside. */
    private static void differences(JsonNode committed, JsonNode served, String at, List<String> found) {
        if (found.size() >= DIFFERENCES_SHOWN_MAX || committed.equals(served)) {
            return;
        }
        if (committed.isObject() && served.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            committed.fieldNames().forEachRemaining(names::add);
            served.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String path = at + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!committed.has(name) || !served.has(name)) {
                    found.add(path + (committed.has(name) ? " is no longer served" : " is served but not committed"));
                } else {
                    differences(committed.get(name), served.get(name), path, found);
                }
            }
            return;
        }
        if (committed.isArray() && served.isArray() && committed.size() == served.size()) {
            Iterator<JsonNode> servedElements = served.elements();
            int index = 0;
            for (JsonNode element : committed) {
                differences(element, servedElements.next(), at + "/" + index++, found);
            }
            return;
        }
        found.add(at + ": committed " + abbreviated(committed) + ", served " + abbreviated(served));
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
