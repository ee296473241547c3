package dev.tally.ledger.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditMovement;
import dev.tally.ledger.api.credit.Funding;
import dev.tally.ledger.api.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's grants, its per-period uncovered amounts and the draws made in each period.
 * {@link #fund} decides how an amount is paid for without changing anything; {@link #apply}
 * records a decision. Keeping the two apart lets the aggregate decide in its command handler
 * and change state only in its event sourcing handlers.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class CreditPool {

    /** Drawdown order of spec section 4: earliest expiry first (none last), lower priority, older. */
    private static final Comparator<Grant> DRAWDOWN_ORDER = Comparator
            .comparing((Grant grant) -> grant.expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingInt(grant -> grant.priority)
            .thenComparingLong(grant -> grant.order);

    private final String currency;
    private final Map<String, Grant> grants;
    private final Map<Instant, BigDecimal> uncoveredByPeriod;
    private final Map<Instant, LinkedList<Draw>> drawsByPeriod;

    CreditPool(String currency) {
        this(currency, new LinkedHashMap<>(), new HashMap<>(), new HashMap<>());
    }

    @JsonCreator
    CreditPool(@JsonProperty("currency") String currency, @JsonProperty("grants") Map<String, Grant> grants,
               @JsonProperty("uncoveredByPeriod") Map<Instant, BigDecimal> uncoveredByPeriod,
               @JsonProperty("drawsByPeriod") Map<Instant, LinkedList<Draw>> drawsByPeriod) {
        this.currency = currency;
        this.grants = new LinkedHashMap<>(grants);
        this.uncoveredByPeriod = new HashMap<>(uncoveredByPeriod);
        this.drawsByPeriod = new HashMap<>(drawsByPeriod);
    }

    void add(CreditGranted event) {
        grants.put(event.grantId(), new Grant(event, grants.size()));
    }

    Grant grant(String grantId) {
        return grants.get(grantId);
    }

    Collection<Grant> grants() {
        return grants.values();
    }

    /** Σ remainders of grants neither voided nor expired: the credit liability of the journal. */
    BigDecimal liveBalance() {
        return grants.values().stream().filter(Grant::isLive).map(grant -> grant.remaining)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Σ remainders of the grants that could fund something timestamped at {@code instant}. */
    BigDecimal usableBalance(Instant instant) {
        return grants.values().stream().filter(grant -> grant.isUsableAt(instant)).map(grant -> grant.remaining)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    BigDecimal uncovered(Instant periodStart) {
        return uncoveredByPeriod.getOrDefault(periodStart, BigDecimal.ZERO);
    }

    /** How {@code amount}, timestamped at {@code timestamp} in the period {@code periodStart}, is paid for. */
    Funding fund(BigDecimal amount, Instant timestamp, Instant periodStart) {
        if (amount.signum() >= 0) {
            return draw(amount, timestamp);
        }
        return restore(amount.negate(), periodStart);
    }

    private Funding draw(BigDecimal amount, Instant timestamp) {
        return draw(amount, grants.values().stream().filter(grant -> grant.isUsableAt(timestamp)).toList());
    }

    /**
     * How grants still usable when an invoice is issued fund {@code amount} (its minimum true-up
     * and uncovered remainder): grants usable {@code now} that took effect before the period ended.
     */
    Funding fundAtIssue(BigDecimal amount, Instant now, Instant periodEnd) {
        return draw(amount, grants.values().stream()
                .filter(grant -> grant.isUsableAt(now) && grant.effectiveAt.isBefore(periodEnd)).toList());
    }

    private Funding draw(BigDecimal amount, List<Grant> candidates) {
        List<CreditMovement> drawn = new ArrayList<>();
        BigDecimal left = amount;
        List<Grant> usable = candidates.stream().sorted(DRAWDOWN_ORDER).toList();
        for (Grant grant : usable) {
            if (left.signum() == 0) {
                break;
            }
            BigDecimal take = left.min(grant.remaining);
            drawn.add(new CreditMovement(grant.grantId, money(take)));
            left = left.subtract(take);
        }
        return new Funding(drawn, List.of(), money(left));
    }

    private Funding restore(BigDecimal undo, Instant periodStart) {
        BigDecimal fromUncovered = undo.min(uncovered(periodStart).max(BigDecimal.ZERO));
        BigDecimal left = undo.subtract(fromUncovered);
        List<CreditMovement> restored = new ArrayList<>();
        Iterator<Draw> newestFirst = drawsByPeriod.getOrDefault(periodStart, new LinkedList<>()).iterator();
        while (left.signum() > 0 && newestFirst.hasNext()) {
            Draw draw = newestFirst.next();
            if (!grants.get(draw.grantId).isLive() || draw.outstanding.signum() == 0) {
                continue;
            }
            BigDecimal back = left.min(draw.outstanding);
            restored.add(new CreditMovement(draw.grantId, money(back)));
            left = left.subtract(back);
        }
        return new Funding(List.of(), restored, money(fromUncovered.add(left).negate()));
    }

    /** Records a funding decision; the mirror of {@link #fund}. */
    void apply(Funding funding, Instant periodStart) {
        LinkedList<Draw> draws = drawsByPeriod.computeIfAbsent(periodStart, start -> new LinkedList<>());
        for (CreditMovement movement : funding.drawn()) {
            Grant grant = grants.get(movement.grantId());
            grant.remaining = grant.remaining.subtract(movement.amount().amount());
            draws.push(new Draw(movement.grantId(), movement.amount().amount()));
        }
        for (CreditMovement movement : funding.restored()) {
            Grant grant = grants.get(movement.grantId());
            grant.remaining = grant.remaining.add(movement.amount().amount());
            takeBack(draws, movement);
        }
        uncoveredByPeriod.merge(periodStart, funding.uncoveredChange().amount(), BigDecimal::add);
    }

    private static void takeBack(Deque<Draw> draws, CreditMovement movement) {
        BigDecimal left = movement.amount().amount();
        Iterator<Draw> newestFirst = draws.iterator();
        while (left.signum() > 0 && newestFirst.hasNext()) {
            Draw draw = newestFirst.next();
            if (!draw.grantId.equals(movement.grantId()) || draw.outstanding.signum() == 0) {
                continue;
            }
            BigDecimal back = left.min(draw.outstanding);
            draw.outstanding = draw.outstanding.subtract(back);
            left = left.subtract(back);
            if (draw.outstanding.signum() == 0) {
                newestFirst.remove();
            }
        }
    }

    /**
     * Records an invoice's issue: its periods' uncovered amounts are billed, and what grants drew
     * at issue leaves them. Issue-time draws are not remembered as period draws: a later negative
     * accrual restores what usage drew, not what paid the true-up.
     */
    void applyIssue(String invoiceId, Funding issueFunding, List<Instant> billedPeriods) {
        for (CreditMovement movement : issueFunding.drawn()) {
            Grant grant = grants.get(movement.grantId());
            grant.remaining = grant.remaining.subtract(movement.amount().amount());
        }
        for (Instant period : billedPeriods) {
            uncoveredByPeriod.remove(period);
            for (Draw draw : drawsByPeriod.getOrDefault(period, new LinkedList<>())) {
                if (draw.billedBy == null) {
                    draw.billedBy = invoiceId;
                }
            }
        }
    }

    /** Per grant, what of the draws {@code invoiceId} billed no negative amount has restored since. */
    Map<String, BigDecimal> stillDrawnBy(String invoiceId) {
        Map<String, BigDecimal> drawn = new java.util.TreeMap<>();
        for (LinkedList<Draw> draws : drawsByPeriod.values()) {
            for (Draw draw : draws) {
                if (invoiceId.equals(draw.billedBy) && draw.outstanding.signum() > 0) {
                    drawn.merge(draw.grantId, draw.outstanding, BigDecimal::add);
                }
            }
        }
        return drawn;
    }

    /** Credit a voided invoice consumed goes back to a live grant. */
    void giveBack(String grantId, BigDecimal amount) {
        Grant grant = grants.get(grantId);
        grant.remaining = grant.remaining.add(amount);
    }

    /** A void gave back what the draws {@code invoiceId} billed held: restoring them again would return it twice. */
    void settleDrawsOf(String invoiceId) {
        for (LinkedList<Draw> draws : drawsByPeriod.values()) {
            draws.removeIf(draw -> invoiceId.equals(draw.billedBy));
        }
    }

    void forfeit(String grantId) {
        grants.get(grantId).remaining = BigDecimal.ZERO;
    }

    private Money money(BigDecimal amount) {
        return new Money(currency, amount);
    }
}
