package dev.tally.ledger.api.outcome;

/**
 * The one catalogue of stable error codes. A code is part of the API contract: clients branch
 * on it, so a code is never renamed or reused. Each code names the HTTP status family it maps
 * to, so that every layer answers the same way for the same failure.
 */
public enum ErrorCode {
    MALFORMED_REQUEST("malformed_request", 400),
    MISSING_FIELD("missing_field", 400),
    DUPLICATE_MEMBER("duplicate_member", 400),
    UNKNOWN_MEMBER("unknown_member", 400),
    INVALID_TEXT("invalid_text", 422),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    DATABASE_UNAVAILABLE("database_unavailable", 503),
    INTERNAL_ERROR("internal_error", 500),
    INVALID_FIELD("invalid_field", 422),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    BATCH_TOO_LARGE("batch_too_large", 422),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    ALREADY_EXISTS("already_exists", 409),
    IDEMPOTENCY_CONFLICT("idempotency_conflict", 409),
    IDEMPOTENCY_IN_PROGRESS("idempotency_in_progress", 409),
    POSITION_NOT_REACHED("position_not_reached", 503),

    UNKNOWN_ACCOUNT("unknown_account", 404),
    UNKNOWN_PLAN("unknown_plan", 422),
    UNKNOWN_METER("unknown_meter", 422),
    NO_PLAN_VERSION_IN_FORCE("no_plan_version_in_force", 422),
    CURRENCY_MISMATCH("currency_mismatch", 422),
    UNSUPPORTED_CURRENCY("unsupported_currency", 422),
    INVALID_QUANTITY("invalid_quantity", 422),
    NEGATIVE_QUANTITY("negative_quantity", 422),
    INVALID_AMOUNT("invalid_amount", 422),
    INVALID_TIMESTAMP("invalid_timestamp", 422),
    TIMESTAMP_IN_FUTURE("timestamp_in_future", 422),
    TIMESTAMP_TOO_OLD("timestamp_too_old", 422),
    TIMESTAMP_BEFORE_BILLING_START("timestamp_before_billing_start", 422),
    INVALID_IDEMPOTENCY_KEY("invalid_idempotency_key", 422),
    INVALID_PROPERTIES("invalid_properties", 422),
    INVALID_PRICE("invalid_price", 422),
    PLAN_CURRENCY_CHANGED("plan_currency_changed", 422),
    EFFECTIVE_FROM_NOT_AFTER_PREVIOUS("effective_from_not_after_previous", 422),
    EFFECTIVE_FROM_IN_PAST("effective_from_in_past", 422),
    INVALID_BILLING_ANCHOR("invalid_billing_anchor", 422),
    INVALID_PAYMENT_TERMS("invalid_payment_terms", 422),
    INVALID_GRANT_WINDOW("invalid_grant_window", 422),
    UNKNOWN_GRANT("unknown_grant", 404),
    GRANT_NOT_ACTIVE("grant_not_active", 409),
    GRANT_NOT_EXPIRED_YET("grant_not_expired_yet", 409),
    UNKNOWN_PAYMENT("unknown_payment", 404),
    REFUND_EXCEEDS_PAYMENT("refund_exceeds_payment", 422),
    INVALID_PERIOD_START("invalid_period_start", 422),
    PERIOD_NOT_ENDED("period_not_ended", 409),
    EARLIER_PERIOD_NOT_INVOICED("earlier_period_not_invoiced", 409),
    UNKNOWN_INVOICE("unknown_invoice", 404),
    INVOICE_ALREADY_PAID("invoice_already_paid", 409),
    INVALID_ROLE("invalid_role", 422),
    UNKNOWN_API_KEY("unknown_api_key", 404),
    API_KEY_REVOKED("api_key_revoked", 409),
    LAST_ADMIN_KEY("last_admin_key", 409),
    CHECKPOINT_NOT_NEWER("checkpoint_not_newer", 409),
    INVOICE_NOT_OPEN("invoice_not_open", 409),
    EXTERNAL_ID_CONFLICT("external_id_conflict", 409),
    INVALID_SIGNATURE("invalid_signature", 400),
    WEBHOOK_NOT_CONFIGURED("webhook_not_configured", 503),
    ACCOUNT_VIEW_STALLED("account_view_stalled", 503);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
