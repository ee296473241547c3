package dev.tally.server.web.openapi;

import dev.tally.ledger.api.outcome.ErrorCode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems an endpoint answers for its own reasons (its role check, its resources, its rules),
 * listed in the OpenAPI document beside those every endpoint of its shape can answer, which
 * {@link ProblemResponses} adds by itself. Each code is listed under the status the catalogue gives it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Refusals {

    ErrorCode[] value();
}
