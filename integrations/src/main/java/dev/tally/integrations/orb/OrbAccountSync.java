package dev.tally.integrations.orb;

import dev.tally.ledger.api.account.AccountOpened;
import dev.tally.ledger.api.account.ExternalSystem;
import dev.tally.ledger.api.account.LinkExternalCustomer;
import dev.tally.ledger.api.credit.CreditExpired;
import dev.tally.ledger.api.credit.CreditGranted;
import dev.tally.ledger.api.credit.CreditVoided;
import dev.tally.ledger.api.money.Money;
import dev.tally.ledger.api.outcome.CommandOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An account's life in Orb: its customer when it opens (linked back on the account), and its credit
 * grants in Orb's credit ledger. Customers and credits share one processor sequenced per account,
 * so a grant never reaches Orb before its customer, nor a void before its grant. Never runs during
 * a replay.
 *
 * <p>Expiry: Tally decides when credit expires. Grants go to Orb without an {@code expiry_date},
 * so Orb never expires a block on its own clock, and a ledger expiry becomes a {@code void} of
 * what the ledger forfeited. An {@code expiration_change} would instead hand the decision back to
 * Orb (a day-granular date on Orb's clock) and move the credits into a new block; both would let
 * the two ledgers disagree about when, and how much, expired.
 */
@ProcessingGroup(OrbAccountSync.PROCESSING_GROUP)
public class OrbAccountSync {

    public static final String PROCESSING_GROUP = "orb-accounts";

    private static final Logger log = LoggerFactory.getLogger(OrbAccountSync.class);

    /**
     * Orb requires an email; an account opened without one gets an address in the reserved
     * {@code .invalid} domain (RFC 2606), which can never receive mail, so Orb cannot email anyone
     * by mistake, and it says plainly that Tally had none.
     */
    static final String NO_EMAIL_DOMAIN = "no-email.tally.invalid";

    /** The audit trail's actor for the links this sync records (the server's {@code CommandOrigin} metadata key). */
    static final String ACTOR = "actor";
    static final String SYNC_ACTOR = "system:orb-sync";

    private final OrbClient client;
    private final CommandGateway commands;
    private final OrbCreditBlocks blocks;
    private final OrbDeferredCalls calls;

    public OrbAccountSync(OrbClient client, CommandGateway commands, OrbCreditBlocks blocks,
                          SequencedDeadLetterQueue<EventMessage<?>> deadLetters) {
        this.client = client;
        this.commands = commands;
        this.blocks = blocks;
        this.calls = new OrbDeferredCalls(PROCESSING_GROUP, deadLetters, OrbSequencing::accountSequence);
    }

    /**
     * A reset is allowed (an operator may rebuild the processor's position) but sends nothing again:
     * every handler here is {@code @DisallowReplay}, and this handler exists so that Axon lets the
     * processor be reset at all (it refuses when no handler of a group accepts a replay).
     */
    @ResetHandler
    void onReset() {
        log.info("Orb customers and credits processor reset: replayed events are not sent to Orb again");
    }

    @EventHandler
    @DisallowReplay
    void on(AccountOpened opened, EventMessage<?> message) {
        calls.run(message, () -> createCustomer(opened));
    }

    @EventHandler
    @DisallowReplay
    void on(CreditGranted granted, EventMessage<?> message) {
        calls.run(message, () -> increment(granted));
    }

    @EventHandler
    @DisallowReplay
    void on(CreditVoided voided, EventMessage<?> message) {
        calls.run(message, () -> close(voided.accountId(), voided.grantId(), voided.forfeited(), "void",
                voided.reason()));
    }

    @EventHandler
    @DisallowReplay
    void on(CreditExpired expired, EventMessage<?> message) {
        calls.run(message, () -> close(expired.accountId(), expired.grantId(), expired.forfeited(), "expiry",
                "expired at " + expired.expiresAt()));
    }

    private void createCustomer(AccountOpened opened) {
        OrbCustomer customer = findOrCreate(new OrbNewCustomer(opened.accountId(),
                opened.name() == null || opened.name().isBlank() ? opened.accountId() : opened.name(),
                emailOf(opened), opened.currency(), Map.of("tally_account_id", opened.accountId())));
        CommandOutcome outcome = commands.sendAndWait(GenericCommandMessage.asCommandMessage(new LinkExternalCustomer(
                opened.accountId(), ExternalSystem.ORB, customer.id())).andMetaData(Map.of(ACTOR, SYNC_ACTOR)));
        if (outcome == null || outcome.isRejected()) {
            throw new OrbSyncRefused("the ledger refused to link account " + opened.accountId() + " to Orb customer "
                    + customer.id() + ": " + outcome);
        }
    }

    /** A duplicate external id means the customer already exists (made by hand, or by an earlier try): use it. */
    private OrbCustomer findOrCreate(OrbNewCustomer customer) {
        try {
            return client.createCustomer(customer);
        } catch (OrbRejected rejected) {
            if (!rejected.problem().isDuplicateResource()) {
                throw rejected;
            }
            return client.customerByExternalId(customer.externalCustomerId()).orElseThrow(() -> new OrbUnavailable(
                    "Orb reported customer " + customer.externalCustomerId() + " as existing but cannot find it", null));
        }
    }

    static String emailOf(AccountOpened opened) {
        if (opened.email() != null && !opened.email().isBlank()) {
            return opened.email();
        }
        return "account-" + opened.accountId().replaceAll("[^A-Za-z0-9._-]", "-") + "@" + NO_EMAIL_DOMAIN;
    }

    private void increment(CreditGranted granted) {
        if (granted.amount().amount().signum() <= 0 || blocks.find(granted.accountId(), granted.grantId()).isPresent()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entry_type", "increment");
        body.put("amount", granted.amount().amount());
        body.put("currency", granted.amount().currency());
        body.put("effective_date", granted.effectiveAt().toString());
        if (granted.description() != null) {
            body.put("description", granted.description());
        }
        body.put("metadata", Map.of("tally_grant_id", granted.grantId(), "tally_credit_kind",
                String.valueOf(granted.kind())));
        OrbLedgerEntry entry = client.createLedgerEntry(granted.accountId(), body,
                OrbIdempotencyKeys.of("credit", granted.accountId(), granted.grantId()));
        if (entry.blockId() == null) {
            throw new OrbUnavailable("Orb answered an increment without a credit block", null);
        }
        blocks.recordIncrement(granted.accountId(), granted.grantId(), entry.blockId(), entry.id());
    }

    private void close(String accountId, String grantId, Money forfeited, String closedAs, String reason) {
        Optional<OrbCreditBlocks.Block> block = blocks.find(accountId, grantId);
        if (block.isPresent() && block.get().closingEntryId() != null) {
            return;
        }
        if (forfeited.amount().signum() <= 0) {
            return;
        }
        if (block.isEmpty()) {
            throw new OrbSyncRefused("grant " + grantId + " of account " + accountId + " has no Orb credit block");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entry_type", "void");
        body.put("amount", forfeited.amount());
        body.put("block_id", block.get().blockId());
        body.put("description", reason == null ? closedAs : closedAs + ": " + reason);
        body.put("metadata", Map.of("tally_grant_id", grantId, "tally_closed_as", closedAs));
        OrbLedgerEntry entry = client.createLedgerEntry(accountId, body,
                OrbIdempotencyKeys.of("credit-" + closedAs, accountId, grantId));
        blocks.recordClosing(accountId, grantId, entry.id(), closedAs);
    }
}
