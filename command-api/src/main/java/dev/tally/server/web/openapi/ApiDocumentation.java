package dev.tally.server.web.openapi;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.auth.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document's frame: its title and version, the bearer key every {@code /v1} operation
 * takes, the problem document every error answer is, and what of the server's insides it leaves out.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String TITLE = "Tally ledger API";
    static final String BEARER_SCHEME = "bearerAuth";
    /** The version when the build wrote no build-info (a run from an IDE without Maven). */
    static final String UNBUILT_VERSION = "unbuilt";

    static {
        // The caller is resolved from the Authorization header (CallerArgumentResolver); it is no parameter a
        // client sends. Audit payloads are the events' own JSON, so any object, not Jackson's node type.
        SpringDocUtils.getConfig()
                .addRequestWrapperToIgnore(Caller.class)
                .replaceWithSchema(JsonNode.class, new ObjectSchema().description("the event's own JSON"));
    }

    @Bean
    OpenAPI tallyOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info()
                        .title(TITLE)
                        .version(properties == null ? UNBUILT_VERSION : properties.getVersion())
                        .description("""
                                An event-sourced usage-billing ledger. Every /v1 operation takes an API key as \
                                `Authorization: Bearer <key>`; what it may do depends on the key's role (admin, \
                                finance, auditor, client). Amounts and quantities are decimal strings, timestamps \
                                RFC 3339 in UTC. Every error is an `application/problem+json` document with a stable \
                                `code`. Every POST takes an `Idempotency-Key`; every command answer carries \
                                `Ledger-Position`, which a GET's `minPosition` waits for."""))
                .servers(List.of(new Server().url("http://localhost:8080")
                        .description("a Tally server on its default port")))
                .components(new Components()
                        .addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .description("An API key (tly_…), issued by an admin with POST /v1/api-keys."))
                        .addSchemas(ProblemResponses.PROBLEM_SCHEMA, problem()))
                .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    }

    @Bean
    OperationCustomizer problemResponses() {
        return new ProblemResponses();
    }

    /** RFC 9457 with the ledger's {@code code} member, as {@code dev.tally.server.web.error.Problems} writes it. */
    @SuppressWarnings("rawtypes")
    private static Schema problem() {
        return new ObjectSchema()
                .description("An RFC 9457 problem document. Branch on `code`, which is stable; `detail` is for people.")
                .addProperty("type",
                        new StringSchema().format("uri").example("https://tally.dev/problems/unknown_account"))
                .addProperty("title", new StringSchema().example("unknown account"))
                .addProperty("status", new IntegerSchema().example(ErrorCode.UNKNOWN_ACCOUNT.httpStatus()))
                .addProperty("detail", new StringSchema().example("no account acme"))
                .addProperty("code", new StringSchema().example(ErrorCode.UNKNOWN_ACCOUNT.code())
                        .description("One of the catalogue's codes; each operation's responses list those it can answer."))
                .required(List.of("type", "title", "status", "code"));
    }
}
