package dev.tally.server.web.idempotency;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.server.web.auth.AuthInterceptor;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.error.DatabaseFailures;
import dev.tally.server.web.error.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Every POST to the API: enforces the 1 MiB body limit, and with an {@code Idempotency-Key}
 * replays the first response for the same key and body, answers 409 for a different body, and
 * 409 with Retry-After while the first request is still running. A 5xx is not kept, so that a
 * retry runs again; a claim that could not be released (the database went away) lapses
 * {@link IdempotencyRecords#ABANDONED_AFTER} after its last renewal.
 */
@ConditionalOnTallyRole(TallyRole.API)
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** Seconds a client should wait before retrying a key whose first request is still running. */
    static final int IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotencyRecords records;
    private final ClaimLeases leases;
    private final AuthInterceptor auth;

    IdempotencyFilter(IdempotencyRecords records, ClaimLeases leases, AuthInterceptor auth) {
        this.records = records;
        this.leases = leases;
        this.auth = auth;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > BodyLimits.MAX_BODY_BYTES) {
            writeProblem(response, ErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than 1 MiB");
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), BodyLimits.MAX_BODY_BYTES);
        if (body == null) {
            writeProblem(response, ErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than 1 MiB");
            return;
        }
        CachedBodyRequest cached = new CachedBodyRequest(request, body);
        String idempotencyKey = request.getHeader(HEADER);
        if (idempotencyKey == null) {
            chain.doFilter(cached, response);
            return;
        }
        if (idempotencyKey.isEmpty() || idempotencyKey.length() > BodyLimits.MAX_IDEMPOTENCY_KEY_LENGTH) {
            writeProblem(response, ErrorCode.INVALID_IDEMPOTENCY_KEY, "Idempotency-Key is 1-255 characters");
            return;
        }
        Caller caller;
        try {
            caller = auth.authenticate(cached);
        } catch (ProblemException refused) {
            writeProblem(response, refused.code(), refused.getMessage());
            return;
        }
        String requestHash = hash(request.getRequestURI(), body);
        try {
            if (!records.claim(caller.keyId(), idempotencyKey, requestHash)) {
                answerFromRecord(response, records.find(caller.keyId(), idempotencyKey), requestHash);
                return;
            }
        } catch (DataAccessException failure) {
            if (!DatabaseFailures.isUnavailable(failure)) {
                throw failure;
            }
            writeDatabaseUnavailable(response);
            return;
        }
        runAndKeep(cached, response, chain, new ClaimLeases.Claim(caller.keyId(), idempotencyKey));
    }

    private void runAndKeep(CachedBodyRequest request, HttpServletResponse response, FilterChain chain,
                            ClaimLeases.Claim claim) throws IOException, ServletException {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        leases.started(claim);
        boolean kept = false;
        try {
            chain.doFilter(request, captured);
            if (captured.getStatus() < 500) {
                records.complete(claim.keyId(), claim.idempotencyKey(), captured.getStatus(), captured.getContentType(),
                        captured.getHeader("Ledger-Position"), captured.getHeader("Location"),
                        captured.getContentAsByteArray());
                kept = true;
            }
        } catch (DataAccessException failure) {
            if (!DatabaseFailures.isUnavailable(failure)) {
                throw failure;
            }
            // The answer could not be kept: the client must retry, and its retry runs once the claim is gone.
            captured.resetBuffer();
            writeDatabaseUnavailable(captured);
        } finally {
            leases.ended(claim);
            if (!kept) {
                release(claim);
            }
            captured.copyBodyToResponse();
        }
    }

    private void release(ClaimLeases.Claim claim) {
        try {
            records.release(claim.keyId(), claim.idempotencyKey());
        } catch (DataAccessException unreleased) {
            log.warn("idempotency claim not released, it lapses in {}: {}", IdempotencyRecords.ABANDONED_AFTER,
                    unreleased.toString());
        }
    }

    private static void writeDatabaseUnavailable(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", Integer.toString(Problems.DATABASE_RETRY_AFTER_SECONDS));
        Problems.write(response, ErrorCode.DATABASE_UNAVAILABLE, Problems.DATABASE_UNAVAILABLE_DETAIL);
    }

    private static void answerFromRecord(HttpServletResponse response, Optional<IdempotencyRecords.Stored> record,
                                         String requestHash) throws IOException {
        if (record.isEmpty() || record.get().status() == IdempotencyRecords.IN_PROGRESS) {
            response.setHeader("Retry-After", Integer.toString(IN_PROGRESS_RETRY_AFTER_SECONDS));
            writeProblem(response, ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                    "a request with this Idempotency-Key is still being processed; retry after "
                            + IN_PROGRESS_RETRY_AFTER_SECONDS + " s (a request cut off by a crash holds its key for "
                            + IdempotencyRecords.ABANDONED_AFTER.toSeconds() + " s)");
            return;
        }
        IdempotencyRecords.Stored stored = record.get();
        if (!stored.requestHash().equals(requestHash)) {
            writeProblem(response, ErrorCode.IDEMPOTENCY_CONFLICT,
                    "this Idempotency-Key was used with a different request");
            return;
        }
        response.setStatus(stored.status());
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        if (stored.ledgerPosition() != null) {
            response.setHeader("Ledger-Position", stored.ledgerPosition());
        }
        if (stored.location() != null) {
            response.setHeader("Location", stored.location());
        }
        response.setHeader(REPLAYED_HEADER, "true");
        if (stored.body() != null) {
            response.getOutputStream().write(stored.body());
        }
    }

    static void writeProblem(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        Problems.write(response, code, detail);
    }

    /** The whole body, or null when it is longer than {@code limit} bytes. */
    private static byte[] readAtMost(InputStream input, int limit) throws IOException {
        byte[] bytes = input.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }

    private static String hash(String uri, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(uri.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}
