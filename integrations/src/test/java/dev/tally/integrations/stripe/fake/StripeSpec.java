package dev.tally.integrations.stripe.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Stripe's OpenAPI document (2022-04-12), read once: whether a request's path and method exist and
 * whether each form or query parameter is one the operation knows. A request the spec does not
 * know is the kind of mistake the real Stripe answers with a 400 in production.
 *
 * <p>What is read is the subset of the published document that holds the operations this fake
 * answers, cut by {@code integrations/scripts/stripe_fake_subset.py}, from this module's test
 * resources (so also from its test-jar): a test never reads a file outside the repository.
 */
public final class StripeSpec {

    /** On the classpath; the script that makes it names its source and how to make it again. */
    public static final String RESOURCE = "/stripe/stripe-spec3.2022-04-12.e0123a38.subset.json";

    private record Operation(String template, Pattern path, String method, Set<String> parameters) {
        /** Literal segments first, so {@code /v1/invoices/search} wins over {@code /v1/invoices/{invoice}}. */
        int literalSegments() {
            return (int) template.chars().filter(c -> c == '/').count() - (int) template.chars().filter(c -> c == '{').count();
        }
    }

    private static volatile StripeSpec shared;

    private final List<Operation> operations;

    private StripeSpec(List<Operation> operations) {
        this.operations = operations;
    }

    /** The spec, loaded on first use, once per JVM. */
    public static StripeSpec shared() {
        StripeSpec spec = shared;
        if (spec == null) {
            synchronized (StripeSpec.class) {
                if (shared == null) {
                    shared = load(RESOURCE);
                }
                spec = shared;
            }
        }
        return spec;
    }

    static StripeSpec load(String resource) {
        try (InputStream document = StripeResources.open(resource)) {
            JsonNode paths = new ObjectMapper().readTree(document).path("paths");
            List<Operation> operations = new ArrayList<>();
            for (Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
                String template = names.next();
                Pattern pattern = Pattern.compile(template.replaceAll("\\{[^/]+}", "[^/]+"));
                for (Iterator<String> methods = paths.path(template).fieldNames(); methods.hasNext(); ) {
                    String method = methods.next();
                    JsonNode operation = paths.path(template).path(method);
                    Set<String> parameters = new HashSet<>();
                    operation.path("parameters").forEach(p -> {
                        if ("query".equals(p.path("in").asText())) {
                            parameters.add(p.path("name").asText());
                        }
                    });
                    operation.path("requestBody").path("content").path("application/x-www-form-urlencoded")
                            .path("schema").path("properties").fieldNames().forEachRemaining(parameters::add);
                    operations.add(new Operation(template, pattern, method.toUpperCase(Locale.ROOT), parameters));
                }
            }
            operations.sort(Comparator.comparingInt(Operation::literalSegments).reversed());
            return new StripeSpec(List.copyOf(operations));
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read the Stripe OpenAPI document " + resource, unreadable);
        }
    }

    /** What is wrong with the request according to the spec; empty if nothing. */
    public Optional<String> violation(String method, String path, Set<String> parameterNames) {
        List<Operation> matching = operations.stream().filter(o -> o.path().matcher(path).matches()).toList();
        if (matching.isEmpty()) {
            return Optional.of("no path " + path + " in the Stripe spec (as far as " + RESOURCE + " keeps it)");
        }
        Optional<Operation> operation = matching.stream().filter(o -> o.method().equals(method)).findFirst();
        if (operation.isEmpty()) {
            return Optional.of(method + " " + matching.get(0).template() + " is not in the Stripe spec");
        }
        List<String> unknown = parameterNames.stream().filter(n -> !operation.get().parameters().contains(n)).toList();
        if (!unknown.isEmpty()) {
            return Optional.of(method + " " + operation.get().template() + ": unknown parameters " + unknown);
        }
        return Optional.empty();
    }
}
