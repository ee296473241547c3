package dev.tally.server.axon;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.Serializer;

/** Every processor's dead letters go to the one table Flyway creates, {@code axon.dead_letter_entry}. */
public final class DeadLetterQueues {

    private DeadLetterQueues() {
    }

    public static JdbcSequencedDeadLetterQueue<EventMessage<?>> forGroup(String group, ConnectionProvider connections,
                                                                         TransactionManager transactions,
                                                                         Serializer serializer) {
        return forGroup(group, connections, transactions, serializer, DEFAULT_MAX_SEQUENCES);
    }

    /** Axon's default: past this many dead-lettered sequences a processor stops taking new ones. */
    public static final int DEFAULT_MAX_SEQUENCES = 1024;

    /**
     * A queue holding up to {@code maxSequences} sequences: a processor whose every event is its own
     * sequence (the Orb usage sync) would otherwise stall after 1024 refused events.
     */
    public static JdbcSequencedDeadLetterQueue<EventMessage<?>> forGroup(String group, ConnectionProvider connections,
                                                                         TransactionManager transactions,
                                                                         Serializer serializer, int maxSequences) {
        return JdbcSequencedDeadLetterQueue.builder()
                .maxSequences(maxSequences)
                .processingGroup(group)
                .connectionProvider(connections)
                .transactionManager(transactions)
                .schema(DeadLetterSchema.builder().deadLetterTable("axon.dead_letter_entry").build())
                .genericSerializer(serializer)
                .eventSerializer(serializer)
                .build();
    }
}
