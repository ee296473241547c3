package dev.tally.server.integration.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code tally.webhooks.*}: Orb's signing secret (blank: Orb webhooks are refused). Never printed. */
@ConfigurationProperties(prefix = "tally.webhooks")
public record WebhookProperties(String orbSecret) {

    public boolean orbEnabled() {
        return orbSecret != null && !orbSecret.isBlank();
    }

    @Override
    public String toString() {
        return "WebhookProperties[orbSecret=" + (orbEnabled() ? "(set)" : "(none)") + "]";
    }
}
