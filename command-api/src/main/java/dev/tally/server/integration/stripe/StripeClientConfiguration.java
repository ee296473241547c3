package dev.tally.server.integration.stripe;

import dev.tally.integrations.stripe.StripeApiGateway;
import dev.tally.integrations.stripe.StripeConnection;
import dev.tally.integrations.stripe.StripeGateway;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Stripe client, in every process that has a key: the integrations role collects with it, and
 * the API role's webhook handling asks Stripe which PaymentIntents paid an invoice.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnStripeApiKey
public class StripeClientConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StripeClientConfiguration.class);

    @Bean
    StripeGateway stripeGateway(StripeProperties properties, ObjectProvider<MeterRegistry> registry) {
        String base = properties.baseUrl() == null || properties.baseUrl().isBlank() ? "https://api.stripe.com"
                : properties.baseUrl();
        log.info("Stripe client for {} ({} network retries per call, read timeout {})", base,
                StripeConnection.MAX_NETWORK_RETRIES, properties.readTimeoutOrDefault());
        StripeGateway gateway = new StripeApiGateway(StripeConnection.client(properties.apiKey(), properties.baseUrl(),
                Math.toIntExact(properties.readTimeoutOrDefault().toMillis())));
        MeterRegistry meters = registry.getIfAvailable();
        return meters == null ? gateway : new CountedStripeGateway(gateway, meters);
    }
}
