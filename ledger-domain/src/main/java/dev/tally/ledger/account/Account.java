package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnore;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.tally.ledger.LedgerSettings;
import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.account.ExternalCustomerLinked;
import dev.tally.ledger.api.account.ExternalSystem;
import dev.tally.ledger.api.account.LinkExternalCustomer;
import dev.tally.ledger.api.charge.ChargeRecorded;
import dev.tally.ledger.api.charge.RecordCharge;
import dev.tally.ledger.api.credit.CreditBalanceDepleted;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.credit.ExpireCredit;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.credit.GrantCredit;
import dev.tally.ledger.api.credit.LowCreditBalance;
import dev.tally.ledger.api.credit.VoidCredit;
import dev.tally.ledger.api.invoice.CloseBillingPeriod;
import dev.tally.ledger.api.invoice.InvoiceIds;
import dev.tally.ledger.api.invoice.InvoiceIssued;
import dev.tally.ledger.api.invoice.InvoiceOverdue;
import dev.tally.ledger.api.invoice.InvoicePaymentFailed;
import dev.tally.ledger.api.invoice.MarkInvoiceOverdue;
import dev.tally.ledger.api.invoice.RecordInvoicePaymentFailure;
import dev.tally.ledger.api.invoice.InvoiceVoided;
import dev.tally.ledger.api.invoice.ReturnedCredit;
import dev.tally.ledger.api.invoice.RevenueShare;
import dev.tally.ledger.api.invoice.Settlement;
import dev.tally.ledger.api.invoice.VoidInvoice;
import dev.tally.ledger.api.journal.LedgerAccounts;
import dev.tally.ledger.api.money.CurrencyUnits;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.CommandOutcome;
import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.payment.PaymentDisputed;
import dev.tally.ledger.api.payment.PaymentRecorded;
import dev.tally.ledger.api.payment.PaymentRefunded;
import dev.tally.ledger.api.payment.RecordDispute;
import dev.tally.ledger.api.payment.RecordPayment;
import dev.tally.ledger.api.payment.RefundPayment;
import dev.tally.ledger.api.plan.MeterPrice;
import dev.tally.ledger.api.projection.ProjectionEventSkipped;
import dev.tally.ledger.api.projection.SkipEventInProjections;
import dev.tally.ledger.api.plan.PlanPublished;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageBatchRecorded;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageRecorded;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.ledger.calendar.BillingCalendar;
import dev.tally.ledger.calendar.BillingPeriod;
import dev.tally.ledger.invoice.InvoiceNumbers;
import dev.tally.ledger.plan.PlanCatalog;
import dev.tally.ledger.rating.PriceFunction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;

/**
 * A customer account: everything monetary that happens to one customer is decided here, so
 * that rating, drawdown and payment application see one consistent state and concurrent
 * writers are serialized by the aggregate's sequence number. Its fields are its JSON form in a
 * snapshot, which is why they are plain data and not final.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
// The revision names the snapshot's shape: a snapshot of another revision is ignored and the
// account rebuilt from its events.
@Revision(Account.SNAPSHOT_REVISION)
public class Account {

    /**
     * 6: late usage is set against the true-up of its period (late accruals per period, true-ups,
     * covered amounts). 5: issued invoices remember their due date. 4: from the version that stores
     * a request's usage as one UsageBatchRecorded; a snapshot an older server wrote while newer ones
     * were appending batches it cannot read would lack their usage.
     */
    public static final String SNAPSHOT_REVISION = "6";


    @AggregateIdentifier
    private String accountId;
    private AccountOpened opening;
    private BillingCalendar calendar;
    private CreditPool credits;
    private Map<String, String> usageFingerprints = new HashMap<>();
    private Map<Instant, Map<String, BigDecimal>> quantities = new HashMap<>();
    private Set<Instant> invoicedPeriods = new HashSet<>();
    /** Per invoiced period, the exact sum of its late accruals so far (L of spec section 5's late usage rule). */
    private Map<Instant, BigDecimal> lateAccruals = new HashMap<>();
    /** Per period start, what no invoice has billed yet; sorted so that late periods come first. */
    private TreeMap<Instant, UnbilledPeriod> unbilled = new TreeMap<>();
    /** In issue order, which is also period order: payments settle the oldest first. */
    private LinkedHashMap<String, IssuedInvoice> invoices = new LinkedHashMap<>();
    private Map<String, ChargeRecorded> charges = new HashMap<>();
    /** In the order received: unapplied cash is used oldest payment first. */
    private LinkedHashMap<String, Payment> payments = new LinkedHashMap<>();
    private Map<String, String> refundFingerprints = new HashMap<>();
    private BigDecimal unappliedCash = BigDecimal.ZERO;
    private boolean depletionRecorded;
    /**
     * Usage the command handler has rated and already absorbed into the state but not applied yet:
     * a command's usage is applied as one event, and each event must be rated against the state
     * its predecessors left. Never part of the state: empty outside a usage command, and not in
     * snapshots.
     */
    @JsonIgnore
    private transient List<UsageRecorded> ratedNotApplied;
    /** True while apply() publishes usage that the command handler has already absorbed. */
    @JsonIgnore
    private transient boolean applyingAbsorbedUsage;
    private boolean belowThresholdRecorded;
    private EnumMap<ExternalSystem, String> externalIds = new EnumMap<>(ExternalSystem.class);
    /** Collection failures and disputes already recorded, by their own ids, so that a repeated report is one event. */
    private Set<String> paymentFailures = new HashSet<>();
    private Map<String, String> disputeFingerprints = new HashMap<>();
    private Set<String> overdueInvoices = new HashSet<>();

    protected Account() {
    }

    // ---- opening -------------------------------------------------------------------------

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(OpenAccount command, PlanCatalog plans, LedgerSettings settings) {
        if (accountId != null) {
            return sameOpening(command) ? CommandOutcome.duplicate()
                    : CommandOutcome.rejected(ErrorCode.ALREADY_EXISTS, "account " + accountId + " already exists");
        }
        if (!CurrencyUnits.isKnown(command.currency())) {
            return CommandOutcome.rejected(ErrorCode.UNSUPPORTED_CURRENCY, "currency must be an ISO-4217 code");
        }
        Optional<PlanPublished> plan = plans.latest(command.planId());
        if (plan.isEmpty()) {
            return CommandOutcome.rejected(ErrorCode.UNKNOWN_PLAN, "no plan " + command.planId());
        }
        if (!plan.get().currency().equals(command.currency())) {
            return CommandOutcome.rejected(ErrorCode.CURRENCY_MISMATCH,
                    "plan " + command.planId() + " is priced in " + plan.get().currency());
        }
        int anchorDay = command.billingAnchorDay() == null ? 1 : command.billingAnchorDay();
        if (anchorDay < BillingCalendar.MIN_ANCHOR_DAY || anchorDay > BillingCalendar.MAX_ANCHOR_DAY) {
            return CommandOutcome.rejected(ErrorCode.INVALID_BILLING_ANCHOR, "billingAnchorDay is 1-31");
        }
        int paymentTermsDays = command.paymentTermsDays() == null ? OpenAccount.DEFAULT_PAYMENT_TERMS_DAYS
                : command.paymentTermsDays();
        if (paymentTermsDays < OpenAccount.MIN_PAYMENT_TERMS_DAYS
                || paymentTermsDays > OpenAccount.MAX_PAYMENT_TERMS_DAYS) {
            return CommandOutcome.rejected(ErrorCode.INVALID_PAYMENT_TERMS, "paymentTermsDays is "
                    + OpenAccount.MIN_PAYMENT_TERMS_DAYS + "-" + OpenAccount.MAX_PAYMENT_TERMS_DAYS);
        }
        Money threshold = command.lowBalanceThreshold();
        if (threshold != null && !threshold.currency().equals(command.currency())) {
            return CommandOutcome.rejected(ErrorCode.CURRENCY_MISMATCH, "lowBalanceThreshold must be in " + command.currency());
        }
        if (threshold != null && threshold.isNegative()) {
            return CommandOutcome.rejected(ErrorCode.INVALID_AMOUNT, "lowBalanceThreshold cannot be negative");
        }
        Instant now = settings.clock().instant();
        Instant billingStart = command.billingStart() != null ? command.billingStart()
                : new BillingCalendar(anchorDay).periodContaining(now).start();
        apply(new AccountOpened(command.accountId(), command.name(), command.currency(), command.planId(), anchorDay,
                billingStart, threshold, command.email(), now, paymentTermsDays));
        return CommandOutcome.accepted();
    }

    private boolean sameOpening(OpenAccount command) {
        return opening.currency().equals(command.currency()) && opening.planId().equals(command.planId())
                && java.util.Objects.equals(opening.name(), command.name())
                && java.util.Objects.equals(opening.email(), command.email())
                && (command.billingAnchorDay() == null || command.billingAnchorDay() == opening.billingAnchorDay())
                && (command.billingStart() == null || command.billingStart().equals(opening.billingStart()))
                && (command.paymentTermsDays() == null || command.paymentTermsDays().equals(opening.paymentTermsDays()))
                && sameMoney(command.lowBalanceThreshold(), opening.lowBalanceThreshold());
    }

    @EventSourcingHandler
    void on(AccountOpened event) {
        accountId = event.accountId();
        opening = event;
        calendar = new BillingCalendar(event.billingAnchorDay());
        credits = new CreditPool(event.currency());
    }

    // ---- usage ---------------------------------------------------------------------------

    @CommandHandler
    public List<UsageOutcome> handle(RecordUsage command, PlanCatalog plans, LedgerSettings settings) {
        Instant now = settings.clock().instant();
        List<UsageOutcome> outcomes = new ArrayList<>(command.events().size());
        if (command.events().size() > RecordUsage.MAX_EVENTS_PER_BATCH) {
            for (UsageSubmission event : command.events()) {
                outcomes.add(UsageOutcome.rejected(event.idempotencyKey(), ErrorCode.BATCH_TOO_LARGE,
                        "a batch holds at most " + RecordUsage.MAX_EVENTS_PER_BATCH + " events"));
            }
            return outcomes;
        }
        ratedNotApplied = new ArrayList<>();
        for (UsageSubmission event : command.events()) {
            outcomes.add(record(event, plans, settings, now));
        }
        applyRatedUsage();
        return outcomes;
    }

    private UsageOutcome record(UsageSubmission event, PlanCatalog plans, LedgerSettings settings, Instant now) {
        Optional<UsageOutcome> malformed = UsageRules.malformed(event);
        if (malformed.isPresent()) {
            return malformed.get();
        }
        String key = event.idempotencyKey();
        String fingerprint = UsageRules.fingerprint(event);
        String known = usageFingerprints.get(key);
        if (known != null) {
            return known.equals(fingerprint) ? UsageOutcome.duplicate(key)
                    : UsageOutcome.rejected(key, ErrorCode.IDEMPOTENCY_CONFLICT,
                    "idempotencyKey " + key + " was used for different usage");
        }
        if (!UsageRules.isNormalDecimal(event.quantity())) {
            return UsageOutcome.rejected(key, ErrorCode.INVALID_QUANTITY, "quantity has too many digits");
        }
        Optional<UsageOutcome> outOfRange = UsageRules.outOfRange(event, now, now.minus(settings.backfillWindow()),
                now.plus(settings.futureTolerance()), opening.billingStart());
        if (outOfRange.isPresent()) {
            return outOfRange.get();
        }
        Optional<PlanPublished> version = plans.versionInForce(opening.planId(), event.timestamp());
        if (version.isEmpty()) {
            return UsageOutcome.rejected(key, ErrorCode.NO_PLAN_VERSION_IN_FORCE,
                    "plan " + opening.planId() + " has no version in force at " + event.timestamp());
        }
        Optional<MeterPrice> price = version.get().priceOf(event.meter());
        if (price.isEmpty()) {
            return UsageOutcome.rejected(key, ErrorCode.UNKNOWN_METER,
                    "plan " + opening.planId() + " v" + version.get().version() + " has no meter " + event.meter());
        }
        BillingPeriod period = calendar.periodContaining(event.timestamp());
        BigDecimal before = quantities.getOrDefault(period.start(), Map.of()).getOrDefault(event.meter(), BigDecimal.ZERO);
        BigDecimal after = before.add(event.quantity());
        BigDecimal accrual = PriceFunction.accrual(price.get(), before, after);
        boolean late = invoicedPeriods.contains(period.start());
        BigDecimal covered = late ? MinimumCover.covered(trueUpOf(period.start()),
                lateAccruals.getOrDefault(period.start(), BigDecimal.ZERO), accrual) : BigDecimal.ZERO;
        Funding funding = credits.fund(accrual.subtract(covered), event.timestamp(), period.start());
        UsageRecorded recorded = new UsageRecorded(accountId, key, event.meter(), event.quantity(), event.timestamp(),
                event.properties(), period.start(), opening.planId(), version.get().version(), after, money(accrual),
                money(covered), funding, late, now);
        absorb(recorded, fingerprint);
        ratedNotApplied.add(recorded);
        if (balanceAnnouncementDue(now)) {
            // The announcement follows the usage that crossed the line, as it would one event at a time.
            applyRatedUsage();
            announceBalanceChanges(now);
        }
        return UsageOutcome.accepted(key);
    }

    /** Applies the usage rated so far as one event; its state is already absorbed. */
    private void applyRatedUsage() {
        if (ratedNotApplied.isEmpty()) {
            return;
        }
        Object event = ratedNotApplied.size() == 1 ? ratedNotApplied.get(0)
                : new UsageBatchRecorded(accountId, ratedNotApplied);
        ratedNotApplied = new ArrayList<>();
        applyingAbsorbedUsage = true;
        try {
            apply(event);
        } finally {
            applyingAbsorbedUsage = false;
        }
    }

    @EventSourcingHandler
    void on(UsageRecorded event) {
        if (!applyingAbsorbedUsage) {
            absorb(event, Fingerprint.of(event.meter(), event.quantity(), event.timestamp(), event.properties()));
        }
    }

    @EventSourcingHandler
    void on(UsageBatchRecorded batch) {
        if (!applyingAbsorbedUsage) {
            for (UsageRecorded event : batch.usages()) {
                absorb(event, Fingerprint.of(event.meter(), event.quantity(), event.timestamp(), event.properties()));
            }
        }
    }

    private void absorb(UsageRecorded event, String digest) {
        usageFingerprints.put(event.idempotencyKey(), digest);
        quantities.computeIfAbsent(event.periodStart(), start -> new HashMap<>()).put(event.meter(), event.cumulativeQuantity());
        credits.apply(event.funding(), event.periodStart());
        if (event.late()) {
            lateAccruals.merge(event.periodStart(), event.accrual().amount(), BigDecimal::add);
        }
        unbilledIn(event.periodStart()).addUsage(event.meter(), event.quantity(), event.accrual().amount(),
                event.coveredByMinimum().amount(), event.planVersion(), event.funding());
    }

    /** T of the late usage rule: the true-up billed on the invoice of an invoiced period, 0 if it was voided. */
    private BigDecimal trueUpOf(Instant periodStart) {
        return invoices.get(InvoiceIds.of(accountId, periodStart)).trueUpStillBilled();
    }

    // ---- credits -------------------------------------------------------------------------

    @CommandHandler
    public CommandOutcome handle(GrantCredit command, LedgerSettings settings) {
        if (command.grantId() == null || command.grantId().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "grantId is required");
        }
        Grant existing = credits.grant(command.grantId());
        if (existing != null) {
            return sameGrant(existing, command) ? CommandOutcome.duplicate()
                    : CommandOutcome.rejected(ErrorCode.ALREADY_EXISTS, "grant " + command.grantId() + " already exists");
        }
        Optional<CommandOutcome> badAmount = positiveInAccountCurrency(command.amount(), "amount");
        if (badAmount.isPresent()) {
            return badAmount.get();
        }
        if (command.kind() == null) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "kind is prepaid or promotional");
        }
        Instant now = settings.clock().instant();
        Instant effectiveAt = command.effectiveAt() == null ? now : command.effectiveAt();
        if (command.expiresAt() != null && !command.expiresAt().isAfter(effectiveAt)) {
            return CommandOutcome.rejected(ErrorCode.INVALID_GRANT_WINDOW, "expiresAt must be after effectiveAt");
        }
        int priority = command.priority() == null ? GrantCredit.DEFAULT_PRIORITY : command.priority();
        apply(new CreditGranted(accountId, command.grantId(), command.amount(), command.kind(), effectiveAt,
                command.expiresAt(), priority, command.description(), now));
        return CommandOutcome.accepted();
    }

    private static boolean sameGrant(Grant grant, GrantCredit command) {
        return command.amount() != null && grant.amount.compareTo(command.amount().amount()) == 0
                && grant.kind == command.kind()
                && (command.effectiveAt() == null || command.effectiveAt().equals(grant.effectiveAt))
                && java.util.Objects.equals(command.expiresAt(), grant.expiresAt)
                && (command.priority() == null ? GrantCredit.DEFAULT_PRIORITY : command.priority()) == grant.priority
                && java.util.Objects.equals(command.description(), grant.description);
    }

    @EventSourcingHandler
    void on(CreditGranted event) {
        credits.add(event);
        depletionRecorded = false;
        if (opening.lowBalanceThreshold() != null
                && credits.usableBalance(event.grantedAt()).compareTo(opening.lowBalanceThreshold().amount()) >= 0) {
            belowThresholdRecorded = false;
        }
    }

    @CommandHandler
    public CommandOutcome handle(VoidCredit command, LedgerSettings settings) {
        Grant grant = credits.grant(command.grantId());
        if (grant == null) {
            return CommandOutcome.rejected(ErrorCode.UNKNOWN_GRANT, "no grant " + command.grantId());
        }
        if (grant.voided) {
            return CommandOutcome.duplicate();
        }
        if (grant.expired) {
            return CommandOutcome.rejected(ErrorCode.GRANT_NOT_ACTIVE, "grant " + grant.grantId + " has expired");
        }
        Instant now = settings.clock().instant();
        apply(new CreditVoided(accountId, grant.grantId, grant.kind, money(grant.remaining), command.reason(), now));
        announceBalanceChanges(now);
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(CreditVoided event) {
        Grant grant = credits.grant(event.grantId());
        credits.forfeit(event.grantId());
        grant.voided = true;
    }

    @CommandHandler
    public CommandOutcome handle(ExpireCredit command, LedgerSettings settings) {
        Grant grant = credits.grant(command.grantId());
        if (grant == null) {
            return CommandOutcome.rejected(ErrorCode.UNKNOWN_GRANT, "no grant " + command.grantId());
        }
        if (grant.expired || grant.voided) {
            return CommandOutcome.duplicate();
        }
        Instant now = settings.clock().instant();
        if (grant.expiresAt == null || now.isBefore(grant.expiresAt)) {
            return CommandOutcome.rejected(ErrorCode.GRANT_NOT_EXPIRED_YET, "grant " + grant.grantId + " has not expired");
        }
        apply(new CreditExpired(accountId, grant.grantId, grant.kind, money(grant.remaining), grant.expiresAt, now));
        announceBalanceChanges(now);
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(CreditExpired event) {
        Grant grant = credits.grant(event.grantId());
        credits.forfeit(event.grantId());
        grant.expired = true;
    }

    /**
     * Records depletion and low balance once per crossing, after anything that lowered the balance.
     * "Usable" credit (spec section 4) is what could fund usage now: not a grant that takes effect
     * later, nor one past its expiry whose CreditExpired is not recorded yet.
     */
    private void announceBalanceChanges(Instant now) {
        BigDecimal balance = credits.usableBalance(now);
        if (crossedLowThreshold(balance)) {
            apply(new LowCreditBalance(accountId, money(balance), opening.lowBalanceThreshold(), now));
        }
        if (crossedDepletion(balance)) {
            apply(new CreditBalanceDepleted(accountId, now));
        }
    }

    private boolean balanceAnnouncementDue(Instant now) {
        if (credits.grants().isEmpty()) {
            return false;
        }
        BigDecimal balance = credits.usableBalance(now);
        return crossedLowThreshold(balance) || crossedDepletion(balance);
    }

    private boolean crossedLowThreshold(BigDecimal balance) {
        Money threshold = opening.lowBalanceThreshold();
        return threshold != null && !belowThresholdRecorded && balance.compareTo(threshold.amount()) < 0
                && !credits.grants().isEmpty();
    }

    private boolean crossedDepletion(BigDecimal balance) {
        return !depletionRecorded && balance.signum() == 0 && !credits.grants().isEmpty();
    }

    @EventSourcingHandler
    void on(LowCreditBalance event) {
        belowThresholdRecorded = true;
    }

    @EventSourcingHandler
    void on(CreditBalanceDepleted event) {
        depletionRecorded = true;
    }

    // ---- charges -------------------------------------------------------------------------

    @CommandHandler
    public CommandOutcome handle(RecordCharge command, LedgerSettings settings) {
        if (command.chargeId() == null || command.chargeId().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "chargeId is required");
        }
        ChargeRecorded existing = charges.get(command.chargeId());
        if (existing != null) {
            return sameCharge(existing, command) ? CommandOutcome.duplicate()
                    : CommandOutcome.rejected(ErrorCode.ALREADY_EXISTS, "charge " + command.chargeId() + " already exists");
        }
        if (command.amount() == null) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "amount is required");
        }
        if (!command.amount().currency().equals(opening.currency())) {
            return CommandOutcome.rejected(ErrorCode.CURRENCY_MISMATCH, "the account is billed in " + opening.currency());
        }
        if (command.amount().isZero()) {
            return CommandOutcome.rejected(ErrorCode.INVALID_AMOUNT, "a charge is not zero");
        }
        Instant now = settings.clock().instant();
        Instant timestamp = command.timestamp() == null ? now : command.timestamp();
        if (timestamp.isAfter(now.plus(settings.futureTolerance()))) {
            return CommandOutcome.rejected(ErrorCode.TIMESTAMP_IN_FUTURE, "timestamp is ahead of " + now);
        }
        if (timestamp.isBefore(opening.billingStart())) {
            return CommandOutcome.rejected(ErrorCode.TIMESTAMP_BEFORE_BILLING_START,
                    "the account is billed from " + opening.billingStart());
        }
        BillingPeriod period = calendar.periodContaining(timestamp);
        Funding funding = credits.fund(command.amount().amount(), timestamp, period.start());
        apply(new ChargeRecorded(accountId, command.chargeId(), command.amount(), command.description(), timestamp,
                period.start(), funding, now));
        announceBalanceChanges(now);
        return CommandOutcome.accepted();
    }

    private static boolean sameCharge(ChargeRecorded charge, RecordCharge command) {
        return sameMoney(charge.amount(), command.amount())
                && java.util.Objects.equals(charge.description(), command.description())
                && (command.timestamp() == null || command.timestamp().equals(charge.timestamp()));
    }

    @EventSourcingHandler
    void on(ChargeRecorded event) {
        charges.put(event.chargeId(), event);
        credits.apply(event.funding(), event.periodStart());
        unbilledIn(event.periodStart()).addCharge(event);
    }

    // ---- payments ------------------------------------------------------------------------

    @CommandHandler
    public CommandOutcome handle(RecordPayment command, LedgerSettings settings) {
        if (command.paymentId() == null || command.paymentId().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "paymentId is required");
        }
        Payment existing = payments.get(command.paymentId());
        if (existing != null) {
            return existing.sameAs(command) ? CommandOutcome.duplicate()
                    : CommandOutcome.rejected(ErrorCode.ALREADY_EXISTS, "payment " + command.paymentId() + " already exists");
        }
        Optional<CommandOutcome> badAmount = positiveInAccountCurrency(command.amount(), "amount");
        if (badAmount.isPresent()) {
            return badAmount.get();
        }
        if (command.method() == null || command.method().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "method is required");
        }
        List<Settlement> settlements = new ArrayList<>();
        BigDecimal left = command.amount().amount();
        for (IssuedInvoice invoice : invoices.values()) {
            if (left.signum() > 0 && invoice.isOpen()) {
                BigDecimal part = left.min(invoice.due());
                settlements.add(new Settlement(invoice.invoiceId, command.paymentId(), money(part)));
                left = left.subtract(part);
            }
        }
        apply(new PaymentRecorded(accountId, command.paymentId(), command.amount(), command.method(),
                command.externalRef(), settlements, money(left), settings.clock().instant()));
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(PaymentRecorded event) {
        payments.put(event.paymentId(), new Payment(event));
        for (Settlement settlement : event.settlements()) {
            IssuedInvoice invoice = invoices.get(settlement.invoiceId());
            invoice.paid = invoice.paid.add(settlement.amount().amount());
        }
        unappliedCash = unappliedCash.add(event.unapplied().amount());
    }

    @CommandHandler
    public CommandOutcome handle(RefundPayment command, LedgerSettings settings) {
        if (command.refundId() == null || command.refundId().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "refundId is required");
        }
        String fingerprint = Fingerprint.of(command.paymentId(), command.amount() == null ? null : command.amount().amount());
        String known = refundFingerprints.get(command.refundId());
        if (known != null) {
            return known.equals(fingerprint) ? CommandOutcome.duplicate()
                    : CommandOutcome.rejected(ErrorCode.ALREADY_EXISTS, "refund " + command.refundId() + " already exists");
        }
        Payment payment = payments.get(command.paymentId());
        if (payment == null) {
            return CommandOutcome.rejected(ErrorCode.UNKNOWN_PAYMENT, "no payment " + command.paymentId());
        }
        Optional<CommandOutcome> badAmount = positiveInAccountCurrency(command.amount(), "amount");
        if (badAmount.isPresent()) {
            return badAmount.get();
        }
        BigDecimal refundable = payment.refundable();
        if (command.amount().amount().compareTo(refundable) > 0) {
            return CommandOutcome.rejected(ErrorCode.REFUND_EXCEEDS_PAYMENT,
                    "payment " + payment.paymentId + " has " + refundable.toPlainString() + " left to refund");
        }
        BigDecimal fromUnapplied = command.amount().amount().min(payment.unapplied);
        BigDecimal left = command.amount().amount().subtract(fromUnapplied);
        List<Settlement> reopened = new ArrayList<>();
        List<String> newestFirst = new ArrayList<>(payment.settled.keySet());
        java.util.Collections.reverse(newestFirst);
        for (String invoiceId : newestFirst) {
            if (left.signum() > 0 && !invoices.get(invoiceId).voided) {
                BigDecimal part = left.min(payment.settled.get(invoiceId));
                reopened.add(new Settlement(invoiceId, payment.paymentId, money(part)));
                left = left.subtract(part);
            }
        }
        if (left.signum() > 0) {
            return CommandOutcome.rejected(ErrorCode.REFUND_EXCEEDS_PAYMENT, "payment " + payment.paymentId
                    + " settled voided invoices; only " + command.amount().amount().subtract(left).toPlainString()
                    + " of it can be refunded");
        }
        apply(new PaymentRefunded(accountId, command.refundId(), payment.paymentId, command.amount(),
                money(fromUnapplied), reopened, settings.clock().instant()));
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(PaymentRefunded event) {
        refundFingerprints.put(event.refundId(), Fingerprint.of(event.paymentId(), event.amount().amount()));
        Payment payment = payments.get(event.paymentId());
        payment.refunded = payment.refunded.add(event.amount().amount());
        payment.unapplied = payment.unapplied.subtract(event.fromUnapplied().amount());
        for (Settlement settlement : event.reopened()) {
            payment.takeBack(settlement.invoiceId(), settlement.amount().amount());
            IssuedInvoice invoice = invoices.get(settlement.invoiceId());
            invoice.paid = invoice.paid.subtract(settlement.amount().amount());
        }
        unappliedCash = unappliedCash.subtract(event.fromUnapplied().amount());
    }

    // ---- invoices ------------------------------------------------------------------------

    @CommandHandler
    public CommandOutcome handle(CloseBillingPeriod command, PlanCatalog plans, LedgerSettings settings,
                                 InvoiceNumbers numbers) {
        if (command.periodStart() == null) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "periodStart is required");
        }
        BillingPeriod period = calendar.periodContaining(command.periodStart());
        if (!period.start().equals(command.periodStart())) {
            return CommandOutcome.rejected(ErrorCode.INVALID_PERIOD_START,
                    "the account's billing periods start on day " + opening.billingAnchorDay()
                            + "; the period containing that instant starts at " + period.start());
        }
        Instant firstPeriod = calendar.periodContaining(opening.billingStart()).start();
        if (period.start().isBefore(firstPeriod)) {
            return CommandOutcome.rejected(ErrorCode.INVALID_PERIOD_START,
                    "the account is billed from the period starting at " + firstPeriod);
        }
        if (invoicedPeriods.contains(period.start())) {
            return CommandOutcome.duplicate();
        }
        Instant now = settings.clock().instant();
        if (now.isBefore(period.end())) {
            return CommandOutcome.rejected(ErrorCode.PERIOD_NOT_ENDED, "the period ends at " + period.end());
        }
        Instant previous = calendar.periodContaining(period.start().minusNanos(1)).start();
        if (period.start().isAfter(firstPeriod) && !invoicedPeriods.contains(previous)) {
            return CommandOutcome.rejected(ErrorCode.EARLIER_PERIOD_NOT_INVOICED,
                    "the period starting at " + previous + " is not invoiced yet; periods close in order");
        }
        TreeMap<Instant, UnbilledPeriod> billed = new TreeMap<>(unbilled.headMap(period.start(), true));
        billed.putIfAbsent(period.start(), new UnbilledPeriod());
        Money minimum = plans.versionInForce(opening.planId(), period.end().minusNanos(1))
                .map(PlanPublished::minimumCommitment).orElse(null);
        Map<Integer, PlanPublished> planVersions = new HashMap<>();
        plans.versionsOf(opening.planId()).forEach(version -> planVersions.put(version.version(), version));
        InvoiceDraft.Figures figures = new InvoiceDraft(opening.currency(), calendar, period)
                .figures(billed, minimum, credits, new InvoiceDraft.Pricing(planVersions, quantities), now);
        String invoiceId = InvoiceIds.of(accountId, period.start());
        apply(new InvoiceIssued(accountId, invoiceId, numbers.next(now), opening.currency(), period.start(),
                period.end(), figures.lines(), figures.subtotal(), figures.creditsApplied(), figures.total(),
                List.copyOf(billed.keySet()), figures.billedUncovered(), figures.issueFunding(), figures.rounding(),
                figures.carriedForward(), settleFromUnappliedCash(invoiceId, figures.total()), now,
                now.plus(Duration.ofDays(opening.paymentTermsDays()))));
        if (figures.carriedForward().isPositive()) {
            apply(new CreditGranted(accountId, invoiceId + "-carried-forward", figures.carriedForward(),
                    dev.tally.ledger.api.credit.CreditKind.PREPAID, now, null, GrantCredit.DEFAULT_PRIORITY,
                    "credit carried forward from the invoice for " + InvoiceDraft.label(period), now, invoiceId));
        }
        announceBalanceChanges(now);
        return CommandOutcome.accepted();
    }

    private List<Settlement> settleFromUnappliedCash(String invoiceId, Money total) {
        List<Settlement> settlements = new ArrayList<>();
        BigDecimal left = total.amount();
        for (Payment payment : payments.values()) {
            if (left.signum() > 0 && payment.unapplied.signum() > 0) {
                BigDecimal part = left.min(payment.unapplied);
                settlements.add(new Settlement(invoiceId, payment.paymentId, money(part)));
                left = left.subtract(part);
            }
        }
        return settlements;
    }

    @EventSourcingHandler
    void on(InvoiceIssued event) {
        invoicedPeriods.add(event.periodStart());
        event.billedPeriods().forEach(unbilled::remove);
        Map<String, BigDecimal> drawnAtIssue = new TreeMap<>();
        event.issueFunding().drawn().forEach(drawn -> drawnAtIssue.merge(drawn.grantId(), drawn.amount().amount(),
                BigDecimal::add));
        credits.applyIssue(event.invoiceId(), event.issueFunding(), event.billedPeriods());
        BigDecimal settled = event.amountSettledAtIssue().amount();
        invoices.put(event.invoiceId(), new IssuedInvoice(event.invoiceId(), event.number(), event.periodStart(),
                event.total().amount(), drawnAtIssue, IssuedInvoice.revenueOf(event.lines()), settled, false,
                event.dueAt(), event.trueUp().amount()));
        for (Settlement settlement : event.settlements()) {
            Payment payment = payments.get(settlement.paymentId());
            payment.unapplied = payment.unapplied.subtract(settlement.amount().amount());
            payment.settle(event.invoiceId(), settlement.amount().amount());
        }
        unappliedCash = unappliedCash.subtract(settled);
    }

    @CommandHandler
    public CommandOutcome handle(VoidInvoice command, LedgerSettings settings) {
        IssuedInvoice invoice = command.invoiceId() == null ? null : invoices.get(command.invoiceId());
        if (invoice == null) {
            return CommandOutcome.rejected(ErrorCode.UNKNOWN_INVOICE,
                    "account " + accountId + " has no invoice " + command.invoiceId());
        }
        if (invoice.voided) {
            return CommandOutcome.duplicate();
        }
        if (invoice.isPaid()) {
            return CommandOutcome.rejected(ErrorCode.INVOICE_ALREADY_PAID,
                    "invoice " + invoice.number + " is paid; refund the payment first");
        }
        Instant now = settings.clock().instant();
        List<ReturnedCredit> returned = command.restoreCredits() ? creditToReturn(invoice, now) : List.of();
        Money writtenOff = money(invoice.due());
        Money toReverse = returned.stream().map(ReturnedCredit::amount).reduce(writtenOff, Money::plus);
        apply(new InvoiceVoided(accountId, invoice.invoiceId, invoice.number, writtenOff, returned,
                revenueToReverse(invoice, toReverse), command.reason(), now));
        return CommandOutcome.accepted();
    }

    /**
     * The credit the invoice still consumes, grant by grant: what issue-time funding drew, and what
     * of the draws it billed no later negative amount has restored. A grant past its expiry or
     * voided forfeits it again.
     */
    private List<ReturnedCredit> creditToReturn(IssuedInvoice invoice, Instant now) {
        Map<String, BigDecimal> consumed = new TreeMap<>(invoice.drawnAtIssue);
        credits.stillDrawnBy(invoice.invoiceId).forEach((grant, amount) -> consumed.merge(grant, amount, BigDecimal::add));
        List<ReturnedCredit> returned = new ArrayList<>();
        consumed.forEach((grantId, amount) -> {
            if (amount.signum() > 0) {
                Grant grant = credits.grant(grantId);
                boolean dead = !grant.isLive() || (grant.expiresAt != null && !now.isBefore(grant.expiresAt));
                returned.add(new ReturnedCredit(grantId, grant.kind, money(amount), dead));
            }
        });
        return returned;
    }

    /** Spreads {@code amount} over the revenue of the invoice's lines in line order; fees take any rest. */
    private List<RevenueShare> revenueToReverse(IssuedInvoice invoice, Money amount) {
        Map<String, Money> shares = new LinkedHashMap<>();
        Money left = amount;
        for (RevenueShare line : invoice.revenue) {
            if (left.isPositive() && line.amount().isPositive()) {
                Money part = left.min(line.amount());
                shares.merge(line.revenueAccount(), part, Money::plus);
                left = left.minus(part);
            }
        }
        if (left.isPositive()) {
            shares.merge(LedgerAccounts.REVENUE_FEES, left, Money::plus);
        }
        return shares.entrySet().stream().map(share -> new RevenueShare(share.getKey(), share.getValue())).toList();
    }

    @EventSourcingHandler
    void on(InvoiceVoided event) {
        IssuedInvoice invoice = invoices.get(event.invoiceId());
        invoice.voided = true;
        for (ReturnedCredit credit : event.returnedCredits()) {
            if (!credit.forfeited()) {
                credits.giveBack(credit.grantId(), credit.amount().amount());
            }
        }
        if (!event.returnedCredits().isEmpty()) {
            credits.settleDrawsOf(invoice.invoiceId);
        }
    }

    // ---- external services ---------------------------------------------------------------

    @CommandHandler
    public CommandOutcome handle(LinkExternalCustomer command, LedgerSettings settings) {
        if (command.system() == null) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "system is required");
        }
        if (command.externalId() == null || command.externalId().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "externalId is required");
        }
        String linked = externalIds.get(command.system());
        if (linked != null) {
            return linked.equals(command.externalId()) ? CommandOutcome.duplicate()
                    : CommandOutcome.rejected(ErrorCode.EXTERNAL_ID_CONFLICT, "account " + accountId + " is already "
                    + linked + " in " + command.system());
        }
        apply(new ExternalCustomerLinked(accountId, command.system(), command.externalId(), settings.clock().instant()));
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(ExternalCustomerLinked event) {
        externalIds.put(event.system(), event.externalId());
    }

    @CommandHandler
    public CommandOutcome handle(RecordInvoicePaymentFailure command, LedgerSettings settings) {
        if (command.failureId() == null || command.failureId().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "failureId is required");
        }
        if (paymentFailures.contains(command.failureId())) {
            return CommandOutcome.duplicate();
        }
        IssuedInvoice invoice = command.invoiceId() == null ? null : invoices.get(command.invoiceId());
        if (invoice == null) {
            return CommandOutcome.rejected(ErrorCode.UNKNOWN_INVOICE,
                    "account " + accountId + " has no invoice " + command.invoiceId());
        }
        if (!invoice.isOpen()) {
            return CommandOutcome.rejected(ErrorCode.INVOICE_NOT_OPEN, "invoice " + invoice.number + " is "
                    + (invoice.voided ? "void" : "paid"));
        }
        apply(new InvoicePaymentFailed(accountId, invoice.invoiceId, command.failureId(), command.reason(),
                command.externalRef(), settings.clock().instant()));
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(InvoicePaymentFailed event) {
        paymentFailures.add(event.failureId());
    }

    @CommandHandler
    public CommandOutcome handle(MarkInvoiceOverdue command, LedgerSettings settings) {
        IssuedInvoice invoice = command.invoiceId() == null ? null : invoices.get(command.invoiceId());
        if (invoice == null) {
            return CommandOutcome.rejected(ErrorCode.UNKNOWN_INVOICE,
                    "account " + accountId + " has no invoice " + command.invoiceId());
        }
        if (overdueInvoices.contains(invoice.invoiceId)) {
            return CommandOutcome.duplicate();
        }
        Instant now = settings.clock().instant();
        if (now.isBefore(invoice.dueAt)) {
            return CommandOutcome.rejected(ErrorCode.INVALID_TIMESTAMP, "invoice " + invoice.number
                    + " is not due until " + invoice.dueAt);
        }
        if (!invoice.isOpen()) {
            return CommandOutcome.rejected(ErrorCode.INVOICE_NOT_OPEN, "invoice " + invoice.number + " is "
                    + (invoice.voided ? "void" : "paid"));
        }
        apply(new InvoiceOverdue(accountId, invoice.invoiceId, invoice.number, money(invoice.due()), invoice.dueAt,
                now));
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(InvoiceOverdue event) {
        overdueInvoices.add(event.invoiceId());
    }

    /**
     * Records an admin's decision to leave one of the account's events out of the read models. The
     * aggregate keeps no state for it: the dead-letter queue names the event, and only a letter still
     * queued can be skipped, so a second skip of the same event never reaches here.
     */
    @CommandHandler
    public CommandOutcome handle(SkipEventInProjections command, LedgerSettings settings) {
        if (command.eventId() == null || command.eventId().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "eventId is required");
        }
        if (command.processingGroup() == null || command.processingGroup().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "processingGroup is required");
        }
        if (command.reason() == null || command.reason().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "reason is required");
        }
        if (command.position() <= 0) {
            return CommandOutcome.rejected(ErrorCode.INVALID_FIELD, "position must be positive");
        }
        apply(new ProjectionEventSkipped(accountId, command.eventId(), command.position(), command.processingGroup(),
                command.reason(), settings.clock().instant()));
        return CommandOutcome.accepted();
    }

    @CommandHandler
    public CommandOutcome handle(RecordDispute command, LedgerSettings settings) {
        if (command.disputeId() == null || command.disputeId().isBlank()) {
            return CommandOutcome.rejected(ErrorCode.MISSING_FIELD, "disputeId is required");
        }
        String fingerprint = Fingerprint.of(command.paymentId(), command.amount() == null ? null : command.amount().amount());
        String known = disputeFingerprints.get(command.disputeId());
        if (known != null) {
            return known.equals(fingerprint) ? CommandOutcome.duplicate()
                    : CommandOutcome.rejected(ErrorCode.ALREADY_EXISTS, "dispute " + command.disputeId() + " already exists");
        }
        Payment payment = command.paymentId() == null ? null : payments.get(command.paymentId());
        if (payment == null) {
            return CommandOutcome.rejected(ErrorCode.UNKNOWN_PAYMENT, "no payment " + command.paymentId());
        }
        Optional<CommandOutcome> badAmount = positiveInAccountCurrency(command.amount(), "amount");
        if (badAmount.isPresent()) {
            return badAmount.get();
        }
        if (command.amount().amount().compareTo(payment.amount) > 0) {
            return CommandOutcome.rejected(ErrorCode.INVALID_AMOUNT, "payment " + payment.paymentId + " was "
                    + payment.amount.toPlainString() + "; a dispute cannot exceed it");
        }
        apply(new PaymentDisputed(accountId, command.disputeId(), payment.paymentId, command.amount(), command.reason(),
                command.externalRef(), settings.clock().instant()));
        return CommandOutcome.accepted();
    }

    @EventSourcingHandler
    void on(PaymentDisputed event) {
        disputeFingerprints.put(event.disputeId(), Fingerprint.of(event.paymentId(), event.amount().amount()));
    }

    // ---- helpers -------------------------------------------------------------------------

    private UnbilledPeriod unbilledIn(Instant periodStart) {
        return unbilled.computeIfAbsent(periodStart, start -> new UnbilledPeriod());
    }

    private Optional<CommandOutcome> positiveInAccountCurrency(Money amount, String field) {
        if (amount == null) {
            return Optional.of(CommandOutcome.rejected(ErrorCode.MISSING_FIELD, field + " is required"));
        }
        if (!amount.currency().equals(opening.currency())) {
            return Optional.of(CommandOutcome.rejected(ErrorCode.CURRENCY_MISMATCH,
                    "the account is billed in " + opening.currency()));
        }
        if (!amount.isPositive()) {
            return Optional.of(CommandOutcome.rejected(ErrorCode.INVALID_AMOUNT, field + " must be greater than 0"));
        }
        return Optional.empty();
    }

    private Money money(BigDecimal amount) {
        return new Money(opening.currency(), amount);
    }

    private static boolean sameMoney(Money left, Money right) {
        return left == null ? right == null : right != null && left.sameValueAs(right);
    }
}
