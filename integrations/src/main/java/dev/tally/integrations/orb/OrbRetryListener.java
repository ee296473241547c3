package dev.tally.integrations.orb;

/**
 * Told about every retry the client makes, so that the server can count them as a metric without
 * this module depending on a metrics library. {@code reason} is a short, bounded label
 * ({@code "429"}, {@code "503"}, {@code "io"}), fit for a metric tag.
 */
@FunctionalInterface
public interface OrbRetryListener {

    OrbRetryListener NONE = (operation, reason) -> {
    };

    void retrying(String operation, String reason);
}
