package dev.tally.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** A small HTTP client for the tests: JSON in, status, headers and JSON out. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public record Response(int status, HttpResponse<String> raw, JsonNode body) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public long position() {
            return Long.parseLong(header("Ledger-Position"));
        }

        public String code() {
            return body == null || body.get("code") == null ? null : body.get("code").asText();
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Response post(String path, String key, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(request, key, headers);
    }

    public Response get(String path, String key, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET(), key,
                headers);
    }

    public Response delete(String path, String key, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).DELETE(), key,
                headers);
    }

    /**
     * Any method with any body and content type (null: no Content-Type header), for tests of what
     * the server does with requests a well-behaved client would not send. The answer's body is
     * parsed as JSON when it is JSON, and kept as text otherwise.
     */
    public Response raw(String method, String path, String key, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, key, false, headers);
    }

    /** A GET whose answer is a document, not JSON: the raw bytes. */
    public HttpResponse<byte[]> download(String path, String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response send(HttpRequest.Builder request, String key, String... headers) {
        return send(request, key, true, headers);
    }

    private Response send(HttpRequest.Builder request, String key, boolean alwaysJson, String... headers) {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return exchange(request.build(), alwaysJson);
    }

    /** Sends the request; the answer's body is parsed as JSON always, or only when it says it is JSON. */
    private Response exchange(HttpRequest request, boolean alwaysJson) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            boolean json = alwaysJson || response.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode body = !json || response.body() == null || response.body().isEmpty() ? null
                    : JSON.readTree(response.body());
            return new Response(response.statusCode(), response, body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String json(Object... keysAndValues) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(keysAndValues[i]).append("\":");
            Object value = keysAndValues[i + 1];
            json.append(value instanceof String text ? '"' + text + '"' : String.valueOf(value));
        }
        return json.append('}').toString();
    }
}
