package dev.tally.server.integration.stripe;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated bean exists only when {@code tally.stripe.api-key} holds a key. (A plain
 * {@code @ConditionalOnProperty} would also match the empty value the YAML default gives.)
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnExpression("!'${tally.stripe.api-key:}'.isBlank()")
public @interface ConditionalOnStripeApiKey {
}
