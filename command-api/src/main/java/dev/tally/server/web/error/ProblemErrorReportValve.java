package dev.tally.server.web.error;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat refuses some requests before any servlet sees them (an encoded slash or NUL in the path,
 * a malformed request line) and answered those with its HTML page. This valve answers them as
 * problem+json, so that every error from every layer has one shape.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable failure) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String code = Problems.codeForStatus(status).code();
        String body = Problems.json(code, status, status >= 500 ? "the server failed to answer"
                : "the request was refused before it reached the API (for example an encoded '/' or NUL in the path)");
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException unwritable) {
            // The connection is gone or the response was already committed: nothing more can be said.
        }
    }
}
