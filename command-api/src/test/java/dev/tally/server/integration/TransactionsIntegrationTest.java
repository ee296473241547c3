package dev.tally.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.Api;
import dev.tally.server.testing.ServerTest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionSynchronizationManager;

// Goal: Axon's units of work run in real database transactions, so a command's events and a projection batch
// with its token each commit atomically (Axon 4's auto-configuration alone falls back to none on Spring Boot 4).
class TransactionsIntegrationTest extends ServerTest {

    @Autowired
    private TransactionManager axonTransactions;

    @Test
    void axonUnitsOfWorkRunInsideSpringTransactions() {
        Transaction transaction = axonTransactions.startTransaction();
        try {
            assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
        } finally {
            transaction.rollback();
        }
    }

    @Test
    void accountsOpenedConcurrentlyAreAllReadableWhenAcknowledged() throws Exception {
        String planId = Api.unique("plan");
        api().post("/v1/plans", ADMIN_KEY, """
                {"planId":"%s","currency":"USD","effectiveFrom":"2026-01-01T00:00:00Z",
                 "prices":[{"meter":"m","model":"per_unit","unitPrice":"1"}]}""".formatted(planId));
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Api.Response>> answers = IntStream.range(0, 40).mapToObj(i -> clients.submit(() ->
                    api().post("/v1/accounts", ADMIN_KEY, """
                            {"accountId":"%s-%d","currency":"USD","planId":"%s"}""".formatted(planId, i, planId))))
                    .toList();
            for (Future<Api.Response> answer : answers) {
                Api.Response opened = answer.get();
                assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
                assertThat(opened.body().get("planId").asText()).isEqualTo(planId);
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
