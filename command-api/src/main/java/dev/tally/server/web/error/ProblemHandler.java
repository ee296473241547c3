package dev.tally.server.web.error;

import dev.tally.ledger.api.outcome.ErrorCode;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into problem+json with a stable code. Bad input is always a 4xx; only a
 * fault of the ledger itself is a 500, and its details stay in the log.
 */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** Seconds a client should wait before asking again for a position the projections have not reached. */
    static final int POSITION_RETRY_AFTER_SECONDS = 1;

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> refused(ProblemException refusal) {
        ResponseEntity<ProblemDetail> answer = Problems.response(refusal.code(), refusal.getMessage());
        if (refusal.code() == ErrorCode.POSITION_NOT_REACHED) {
            // Spec section 8: a read that timed out waiting for minPosition is a 503 with Retry-After.
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .header("Retry-After", Integer.toString(POSITION_RETRY_AFTER_SECONDS)).body(answer.getBody());
        }
        return answer;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException unreadable) {
        return Problems.response(ErrorCode.MALFORMED_REQUEST, "the body is not the JSON this endpoint takes");
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception badParameter) {
        return Problems.response(ErrorCode.MALFORMED_REQUEST, badParameter.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException unsupported) {
        return Problems.response(ErrorCode.MALFORMED_REQUEST, "send application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException unsupported) {
        ProblemDetail problem = Problems.of(ErrorCode.NOT_FOUND, unsupported.getMessage());
        problem.setStatus(405);
        problem.setProperty("code", "method_not_allowed");
        return ResponseEntity.status(405).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
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
        log.error("request failed inside the ledger", fault);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatus.INTERNAL_SERVER_ERROR,
                "the ledger failed to answer; nothing was acknowledged");
        problem.setProperty("code", "internal_error");
        return ResponseEntity.status(500).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
