package dev.tally.ledger.model;

import dev.tally.ledger.api.credit.CreditKind;
import dev.tally.ledger.model.Scenario.Grant;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The calculator's credit grants and the draws made on them (spec section 4): drawdown in the
 * spec's order and restoration of the draws made most recently in a period. Rating, invoicing
 * and voids all move credit, so they share this one pool.
 */
final class SpecCredits {

    private static final Comparator<CreditGrant> DRAWDOWN_ORDER = Comparator
            .comparing((CreditGrant grant) -> grant.expiresAt == null ? Instant.MAX : grant.expiresAt)
            .thenComparingInt(grant -> grant.priority)
            .thenComparingInt(grant -> grant.grantedOrder);

    private final RuleCoverage coverage;
    private final Map<String, CreditGrant> grants = new LinkedHashMap<>();
    /** Per period, every draw on a grant in the order made; the last one is the most recent. */
    private final Map<Instant, List<Draw>> drawsByPeriod = new HashMap<>();

    SpecCredits(RuleCoverage coverage) {
        this.coverage = coverage;
    }

    CreditGrant grant(String grantId) {
        return grants.get(grantId);
    }

    Collection<CreditGrant> grants() {
        return grants.values();
    }

    /** Adds a grant; {@code command} is null for credit an invoice carried forward. */
    CreditGrant add(String grantId, Grant command, BigDecimal amount, CreditKind kind, Instant effectiveAt,
                    Instant expiresAt, int priority) {
        CreditGrant grant = new CreditGrant(grantId, command, amount, kind, effectiveAt, expiresAt, priority,
                grants.size());
        grants.put(grantId, grant);
        return grant;
    }

    /** Σ remainders of the grants neither voided nor expired. */
    BigDecimal liveBalance() {
        return grants.values().stream().filter(CreditGrant::isLive).map(grant -> grant.remaining)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * Draws {@code amount} from the grants that {@code usable} admits, in drawdown order, and
     * answers how much each grant gave. Draws for a period's usage or charges are remembered
     * (so that a negative amount can restore them); draws at an invoice's issue
     * ({@code period} null) are not, because a later negative accrual undoes usage, not the
     * true-up that issue-time funding paid.
     */
    Map<String, BigDecimal> draw(BigDecimal amount, Predicate<CreditGrant> usable, Instant period) {
        List<CreditGrant> candidates = new ArrayList<>();
        for (CreditGrant grant : grants.values()) {
            if (grant.isLive() && grant.remaining.signum() > 0 && usable.test(grant)) {
                candidates.add(grant);
            }
        }
        candidates.sort(DRAWDOWN_ORDER);
        Map<String, BigDecimal> drawn = new LinkedHashMap<>();
        BigDecimal needed = amount;
        for (CreditGrant grant : candidates) {
            if (needed.signum() == 0) {
                break;
            }
            BigDecimal take = grant.remaining.min(needed);
            grant.remaining = grant.remaining.subtract(take);
            needed = needed.subtract(take);
            drawn.merge(grant.grantId, take, BigDecimal::add);
            if (period != null) {
                drawsByPeriod.computeIfAbsent(period, start -> new ArrayList<>()).add(new Draw(grant, take));
            }
        }
        if (drawn.size() > 1) {
            coverage.count("draw spanning grants");
        }
        return drawn;
    }

    /** Restores up to {@code amount} to the grants drawn most recently in the period, skipping gone grants. */
    Map<String, BigDecimal> restore(BigDecimal amount, Instant period) {
        List<Draw> draws = drawsByPeriod.getOrDefault(period, List.of());
        Map<String, BigDecimal> restored = new LinkedHashMap<>();
        BigDecimal left = amount;
        for (int index = draws.size() - 1; index >= 0 && left.signum() > 0; index--) {
            Draw draw = draws.get(index);
            if (draw.notRestored.signum() == 0) {
                continue;
            }
            if (!draw.grant.isLive()) {
                coverage.count("restoration skipped a gone grant");
                continue;
            }
            BigDecimal back = draw.notRestored.min(left);
            draw.notRestored = draw.notRestored.subtract(back);
            draw.grant.remaining = draw.grant.remaining.add(back);
            left = left.subtract(back);
            restored.merge(draw.grant.grantId, back, BigDecimal::add);
        }
        return restored;
    }

    /** The draws of {@code periods} that no invoice has billed yet are billed by {@code invoiceId} from now on. */
    void bill(Collection<Instant> periods, String invoiceId) {
        for (Instant period : periods) {
            for (Draw draw : drawsByPeriod.getOrDefault(period, List.of())) {
                if (draw.billedBy == null) {
                    draw.billedBy = invoiceId;
                }
            }
        }
    }

    /** Per grant, what of the draws {@code invoiceId} billed no negative amount has restored since. */
    Map<String, BigDecimal> stillDrawnBy(String invoiceId) {
        Map<String, BigDecimal> drawn = new TreeMap<>();
        for (List<Draw> draws : drawsByPeriod.values()) {
            for (Draw draw : draws) {
                if (invoiceId.equals(draw.billedBy) && draw.notRestored.signum() > 0) {
                    drawn.merge(draw.grant.grantId, draw.notRestored, BigDecimal::add);
                }
            }
        }
        return drawn;
    }

    /**
     * A void gave back what the draws {@code invoiceId} billed still held, so they have nothing left
     * to restore: restoring them again would return the same credit twice.
     */
    void settleDrawsReturnedByVoid(String invoiceId) {
        for (List<Draw> draws : drawsByPeriod.values()) {
            for (Draw draw : draws) {
                if (invoiceId.equals(draw.billedBy)) {
                    draw.notRestored = BigDecimal.ZERO;
                }
            }
        }
    }

    /** One grant as the calculator sees it. */
    static final class CreditGrant {
        final String grantId;
        /** The request that created it; null for a negative invoice balance carried forward. */
        final Grant command;
        final BigDecimal amount;
        final CreditKind kind;
        final Instant effectiveAt;
        final Instant expiresAt;
        final int priority;
        final int grantedOrder;
        BigDecimal remaining;
        boolean voided;
        boolean expired;

        CreditGrant(String grantId, Grant command, BigDecimal amount, CreditKind kind, Instant effectiveAt,
                    Instant expiresAt, int priority, int grantedOrder) {
            this.grantId = grantId;
            this.command = command;
            this.amount = amount;
            this.kind = kind;
            this.effectiveAt = effectiveAt;
            this.expiresAt = expiresAt;
            this.priority = priority;
            this.grantedOrder = grantedOrder;
            this.remaining = amount;
        }

        /** Neither voided nor expired by a recorded {@code CreditExpired}. */
        boolean isLive() {
            return !voided && !expired;
        }

        /** Inside its window at {@code instant}: effectiveAt ≤ instant < expiresAt. */
        boolean isInWindowAt(Instant instant) {
            return !effectiveAt.isAfter(instant) && (expiresAt == null || instant.isBefore(expiresAt));
        }
    }

    /** One draw on a grant; {@code billedBy} names the invoice that billed it, null while unbilled. */
    private static final class Draw {
        final CreditGrant grant;
        BigDecimal notRestored;
        String billedBy;

        Draw(CreditGrant grant, BigDecimal amount) {
            this.grant = grant;
            this.notRestored = amount;
        }
    }
}
