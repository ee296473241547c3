package dev.tally.server.web.error;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.json.InvalidTextInput;
import java.util.List;
import java.util.stream.Collectors;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into problem+json with a stable code. Bad input is always a 4xx; a
 * database that cannot be reached is a 503 with Retry-After; only a fault of the ledger itself is
 * a 500, and its details stay in the log.
 */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** Seconds a client should wait before asking again for a position the projections have not reached. */
    static final int POSITION_RETRY_AFTER_SECONDS = 1;

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> refused(ProblemException refusal) {
        if (refusal.code() == ErrorCode.POSITION_NOT_REACHED) {
            // Spec section 8: a read that timed out waiting for minPosition is a 503 with Retry-After.
            return Problems.response(refusal.code(), refusal.getMessage(), POSITION_RETRY_AFTER_SECONDS);
        }
        ResponseEntity<ProblemDetail> response = Problems.response(refusal.code(), refusal.getMessage());
        refusal.members().forEach(response.getBody()::setProperty);
        return response;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException unreadable) {
        Throwable cause = unreadable.getCause();
        if (cause instanceof InvalidTextInput text) {
            return Problems.response(ErrorCode.INVALID_TEXT, fieldOf(text) + " " + text.violation());
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String parent = parentOf(unknown);
            return Problems.response(ErrorCode.UNKNOWN_MEMBER, "\"" + unknown.getPropertyName() + "\" is not a member of "
                    + (parent.isEmpty() ? "this body" : parent) + "; it takes " + known(unknown));
        }
        if (cause instanceof StreamReadException read && read.getOriginalMessage() != null
                && read.getOriginalMessage().startsWith("Duplicate Object property")) {
            return Problems.response(ErrorCode.DUPLICATE_MEMBER, read.getOriginalMessage().replace("Object property",
                    "member") + ": a member is named once");
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            return Problems.response(ErrorCode.MALFORMED_REQUEST, fieldOf(jackson) + " does not have the type this endpoint takes");
        }
        return Problems.response(ErrorCode.MALFORMED_REQUEST, "the body is not the JSON this endpoint takes");
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception badParameter) {
        return Problems.response(ErrorCode.MALFORMED_REQUEST, badParameter.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException unsupported) {
        return Problems.response(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException unsupported) {
        ResponseEntity<ProblemDetail> answer = Problems.response(ErrorCode.METHOD_NOT_ALLOWED,
                unsupported.getMethod() + " is not a method of this path");
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(answer.getHeaders());
        if (unsupported.getSupportedMethods() != null) {
            headers.set(HttpHeaders.ALLOW, String.join(", ", unsupported.getSupportedMethods()));
        }
        return ResponseEntity.status(answer.getStatusCode()).headers(headers).body(answer.getBody());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException missing) {
        return Problems.response(ErrorCode.NOT_FOUND, "no such endpoint");
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownAggregate(AggregateNotFoundException missing) {
        return Problems.response(ErrorCode.UNKNOWN_ACCOUNT, "no account " + missing.getAggregateIdentifier());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> fault(Exception fault) {
        if (fault instanceof ErrorResponse refusal && refusal.getStatusCode().value() < 500) {
            // Spring MVC's own refusals (a missing header, an unacceptable media type...) keep their status.
            return Problems.response(Problems.codeForStatus(refusal.getStatusCode().value()), refusal.getBody().getDetail());
        }
        if (DatabaseFailures.isUnavailable(fault)) {
            log.warn("request failed: the database is unavailable ({})", fault.toString());
            return Problems.databaseUnavailable();
        }
        log.error("request failed inside the ledger", fault);
        return Problems.response(ErrorCode.INTERNAL_ERROR, "the ledger failed to answer; nothing was acknowledged");
    }

    /** The member's path as a client wrote it: {@code prices[0].meter}. */
    static String fieldOf(JacksonException failure) {
        String field = pathOf(failure.getPath());
        return field.isEmpty() ? "the body" : field;
    }

    private static String parentOf(UnrecognizedPropertyException unknown) {
        List<JacksonException.Reference> path = unknown.getPath();
        return path.size() <= 1 ? "" : pathOf(path.subList(0, path.size() - 1));
    }

    private static String pathOf(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference step : path) {
            if (step.getPropertyName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(step.getPropertyName());
            } else if (step.getIndex() >= 0) {
                field.append('[').append(step.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String known(UnrecognizedPropertyException unknown) {
        if (unknown.getKnownPropertyIds() == null || unknown.getKnownPropertyIds().isEmpty()) {
            return "no members";
        }
        return unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
