package dev.tally.server.web.error;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container forwards to {@code /error} (an exception that escaped a filter, a
 * {@code sendError}) is answered as problem+json too; Spring Boot's own error page answered
 * {@code {"error":"Internal Server Error"}} without a code.
 */
// Every role that serves HTTP (the API, and the processors' actuator and dead-letter endpoints) answers errors alike.
@ConditionalOnTallyRole({TallyRole.API, TallyRole.PROJECTIONS, TallyRole.INTEGRATIONS, TallyRole.SCHEDULER})
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable thrown && DatabaseFailures.isUnavailable(thrown)) {
            return Problems.databaseUnavailable();
        }
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer number ? number : 500;
        ErrorCode errorCode = Problems.codeForStatus(code);
        return Problems.response(errorCode, code >= 500 ? "the ledger failed to answer; nothing was acknowledged"
                : "the request was refused (" + errorCode.code().replace('_', ' ') + ")");
    }
}
