package dev.tally.integrations.orb;

/** A whole answer from Orb, read before the connection is released. */
record OrbHttpResponse(int status, String body, String retryAfter, String retryAfterMillis) {

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /**
     * 408 and 409 (a concurrent request with the same key, or a credits-ledger write conflict), 429
     * and every 5xx are worth another try; Orb's SDK retries the same set.
     */
    boolean isTransient() {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }
}
