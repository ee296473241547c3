package dev.tally.server.web.openapi;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.idempotency.BodyLimits;
import dev.tally.server.web.idempotency.IdempotencyFilter;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;

/**
 * Lists on every operation the problems it can answer, one response per status with its codes:
 * those the shape of a {@code /v1} operation implies (authentication, a strict JSON body, an
 * {@code Idempotency-Key}, paging and {@code minPosition}, text rules on parameters), those of every
 * operation (the database, the ledger's own faults) and those its handler declares with
 * {@link Refusals}. The statuses come from the catalogue ({@link ErrorCode#httpStatus()}), so the
 * document and the server cannot disagree on them. Also adds the {@code Idempotency-Key} header
 * every {@code /v1} POST takes, and takes the webhooks, which are signed instead, out of bearer
 * authentication.
 */
final class ProblemResponses implements OperationCustomizer {

    static final String PROBLEM_SCHEMA = "Problem";
    static final String PROBLEM_MEDIA_TYPE = "application/problem+json";
    /** The extension that lists a problem response's codes for tools; the description lists them for people. */
    static final String CODES_EXTENSION = "x-problem-codes";

    /** Every operation: the ledger's own faults and a database it cannot reach. */
    private static final Set<ErrorCode> EVERY_OPERATION = EnumSet.of(ErrorCode.INTERNAL_ERROR,
            ErrorCode.DATABASE_UNAVAILABLE);
    /** Every {@code /v1} operation: the bearer key is checked first. */
    private static final Set<ErrorCode> AUTHENTICATED = EnumSet.of(ErrorCode.UNAUTHORIZED);
    /** A path or query parameter: not UTF-8 or of the wrong type (400), or text the ledger would not store (422). */
    private static final Set<ErrorCode> WITH_PARAMETERS = EnumSet.of(ErrorCode.MALFORMED_REQUEST, ErrorCode.INVALID_TEXT);
    /** A JSON body: strict reading (spec section 8, "Strict bodies") and the text rules. */
    private static final Set<ErrorCode> WITH_BODY = EnumSet.of(ErrorCode.MALFORMED_REQUEST, ErrorCode.DUPLICATE_MEMBER,
            ErrorCode.UNKNOWN_MEMBER, ErrorCode.INVALID_TEXT, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    /** A {@code /v1} POST: its body is read whole, at most 1 MiB, and it may carry an {@code Idempotency-Key}. */
    private static final Set<ErrorCode> POSTED = EnumSet.of(ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.INVALID_IDEMPOTENCY_KEY,
            ErrorCode.IDEMPOTENCY_CONFLICT, ErrorCode.IDEMPOTENCY_IN_PROGRESS);
    /** {@code ?minPosition=}: past the ledger's head (422), or not reached within the wait (503). */
    private static final Set<ErrorCode> WITH_MIN_POSITION = EnumSet.of(ErrorCode.INVALID_FIELD,
            ErrorCode.POSITION_NOT_REACHED);
    /** {@code ?limit=} outside 1-1000. */
    private static final Set<ErrorCode> WITH_LIMIT = EnumSet.of(ErrorCode.INVALID_FIELD);
    /** {@code ?cursor=} that this API did not give out. */
    private static final Set<ErrorCode> WITH_CURSOR = EnumSet.of(ErrorCode.MALFORMED_REQUEST);

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
        String path = mapping == null || mapping.path().length == 0 ? "" : mapping.path()[0];
        boolean post = mapping != null && Arrays.asList(mapping.method()).contains(RequestMethod.POST);
        boolean v1 = path.startsWith("/v1/");

        Set<ErrorCode> codes = EnumSet.copyOf(EVERY_OPERATION);
        Refusals own = handler.getMethodAnnotation(Refusals.class);
        if (own != null) {
            codes.addAll(Arrays.asList(own.value()));
        }
        if (v1) {
            List<String> parameters = operation.getParameters() == null ? List.of()
                    : operation.getParameters().stream().map(Parameter::getName).toList();
            codes.addAll(AUTHENTICATED);
            if (!parameters.isEmpty()) {
                codes.addAll(WITH_PARAMETERS);
            }
            if (parameters.contains("minPosition")) {
                codes.addAll(WITH_MIN_POSITION);
            }
            if (parameters.contains("limit")) {
                codes.addAll(WITH_LIMIT);
            }
            if (parameters.contains("cursor")) {
                codes.addAll(WITH_CURSOR);
            }
            if (operation.getRequestBody() != null) {
                codes.addAll(WITH_BODY);
            }
            if (post) {
                codes.addAll(POSTED);
                operation.addParametersItem(idempotencyKey());
            }
        } else {
            // Webhooks are signed by their senders instead of carrying an API key, and read leniently
            // (spec section 8): only the codes their handlers declare apply.
            operation.setSecurity(List.of());
        }
        addProblems(operation, codes);
        return operation;
    }

    private static void addProblems(Operation operation, Set<ErrorCode> codes) {
        Map<Integer, List<ErrorCode>> byStatus = codes.stream().collect(Collectors.groupingBy(ErrorCode::httpStatus,
                TreeMap::new, Collectors.toList()));
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        byStatus.forEach((status, refusals) -> {
            List<String> names = refusals.stream().map(ErrorCode::code).sorted().toList();
            ApiResponse problem = new ApiResponse()
                    .description("A problem; code " + names.stream().map(name -> "`" + name + "`")
                            .collect(Collectors.joining(", ")) + ".")
                    .content(new Content().addMediaType(PROBLEM_MEDIA_TYPE, new MediaType()
                            .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA))));
            problem.addExtension(CODES_EXTENSION, new ArrayList<>(names));
            responses.addApiResponse(Integer.toString(status), problem);
        });
        operation.setResponses(responses);
    }

    private static Parameter idempotencyKey() {
        return new HeaderParameter().name(IdempotencyFilter.HEADER).required(false)
                .description("Makes the request safe to retry: the same key with the same body answers what the first "
                        + "request answered; with another body it is a 409 idempotency_conflict.")
                .schema(new StringSchema().minLength(1).maxLength(BodyLimits.MAX_IDEMPOTENCY_KEY_LENGTH));
    }
}
