package dev.tally.server.integration.orb;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether {@code tally.orb.api-key} holds a key. Spring's property condition would take the empty
 * default ({@code TALLY_ORB_API_KEY} unset) as set, hence this one.
 */
final class OrbApiKeyCondition implements Condition {

    static final String API_KEY = "tally.orb.api-key";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String key = context.getEnvironment().getProperty(API_KEY);
        return key != null && !key.isBlank();
    }

    /** The opposite, for the one log line that says the sync is off. */
    static final class Absent implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !new OrbApiKeyCondition().matches(context, metadata);
        }
    }
}
