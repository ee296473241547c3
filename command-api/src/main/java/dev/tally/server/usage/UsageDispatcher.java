package dev.tally.server.usage;

import dev.tally.ledger.api.outcome.ErrorCode;
import dev.tally.ledger.api.usage.RecordUsage;
import dev.tally.ledger.api.usage.UsageOutcome;
import dev.tally.ledger.api.usage.UsageSubmission;
import dev.tally.server.web.auth.Caller;
import dev.tally.server.web.command.LedgerCommands;
import dev.tally.server.web.error.ProblemException;
import dev.tally.server.web.position.LedgerPositions;
import dev.tally.server.web.request.CommandOrigin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Splits a usage batch per account and records each account's part as one command, one
 * transaction, accounts in parallel. The answer keeps the batch's order.
 */
@Component
class UsageDispatcher implements DisposableBean {

    /** Accounts of one batch recorded at once; bounded so that a batch cannot drain the pool. */
    static final int PARALLEL_ACCOUNTS = 8;

    record Answer(List<UsageOutcome> outcomes, long position) {
    }

    private final LedgerCommands commands;
    private final LedgerPositions positions;
    private final ExecutorService workers;

    UsageDispatcher(LedgerCommands commands, LedgerPositions positions) {
        this.commands = commands;
        this.positions = positions;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(PARALLEL_ACCOUNTS,
                runnable -> new Thread(runnable, "usage-writer-" + threads.incrementAndGet()));
    }

    Answer record(JsonNode events, Caller caller) {
        CommandOrigin origin = CommandOrigin.current();
        UsageOutcome[] outcomes = new UsageOutcome[events.size()];
        Map<String, List<Integer>> indexesByAccount = new LinkedHashMap<>();
        Map<String, List<UsageSubmission>> submissionsByAccount = new LinkedHashMap<>();
        for (int index = 0; index < events.size(); index++) {
            UsageBatchParser.Parsed parsed = parse(events.get(index));
            if (parsed.rejection() != null) {
                outcomes[index] = parsed.rejection();
            } else if (!caller.canAccess(parsed.accountId())) {
                outcomes[index] = UsageOutcome.rejected(parsed.submission().idempotencyKey(), ErrorCode.FORBIDDEN,
                        "this key is not for account " + parsed.accountId());
            } else {
                indexesByAccount.computeIfAbsent(parsed.accountId(), account -> new ArrayList<>()).add(index);
                submissionsByAccount.computeIfAbsent(parsed.accountId(), account -> new ArrayList<>())
                        .add(parsed.submission());
            }
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Map.Entry<String, List<UsageSubmission>> part : submissionsByAccount.entrySet()) {
            List<Integer> indexes = indexesByAccount.get(part.getKey());
            writes.add(CompletableFuture.runAsync(() -> {
                List<UsageOutcome> answered = recordForAccount(part.getKey(), part.getValue(), origin);
                for (int i = 0; i < indexes.size(); i++) {
                    outcomes[indexes.get(i)] = answered.get(i);
                }
            }, workers));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        long position = positions.latestPositionOf(submissionsByAccount.keySet());
        return new Answer(List.of(outcomes), position);
    }

    /** Reads one event; anything unreadable is that event's rejection, never the batch's failure. */
    private static UsageBatchParser.Parsed parse(JsonNode event) {
        try {
            return UsageBatchParser.parse(event);
        } catch (RuntimeException unreadable) {
            return new UsageBatchParser.Parsed(null, null, UsageOutcome.rejected(null, ErrorCode.MALFORMED_REQUEST,
                    "the event could not be read"));
        }
    }

    private List<UsageOutcome> recordForAccount(String accountId, List<UsageSubmission> submissions,
                                                CommandOrigin origin) {
        try {
            return commands.sendForResult(new RecordUsage(accountId, submissions), origin);
        } catch (ProblemException refused) {
            return submissions.stream().map(submission -> UsageOutcome.rejected(submission.idempotencyKey(),
                    refused.code(), refused.getMessage())).toList();
        }
    }

    @Override
    public void destroy() {
        workers.shutdown();
    }
}
