package dev.tally.server.integration.stripe;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Configuration;

/** Says once, at start, that an {@code integrations} process runs without the Stripe sync, and why. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnTallyRole(TallyRole.INTEGRATIONS)
@ConditionalOnExpression("'${tally.stripe.api-key:}'.isBlank()")
public class StripeSyncOff {

    private static final Logger log = LoggerFactory.getLogger(StripeSyncOff.class);

    StripeSyncOff() {
        log.info("Stripe sync is off: TALLY_STRIPE_API_KEY is not set");
    }
}
