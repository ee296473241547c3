package dev.tally.replay.rebuild;

import dev.tally.projections.support.UnprojectableEvent;
import dev.tally.projections.support.UnprojectableEvents;
import dev.tally.replay.ToolFailure;
import dev.tally.replay.events.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

/**
 * One writer thread of a rebuild: it takes batches of events and hands each batch to every
 * projection handler that can handle its events, in one Axon batching unit of work with one
 * transaction, so that the projections' batched writes ({@code BatchScope}) flush once per batch
 * and commit together.
 *
 * <p>An event the projections cannot apply (PostgreSQL refuses what it holds) is handled as the
 * server's processor handles it: the batch is written again without it, and its account is held
 * from there on ({@link HeldAccount}), while every other account goes on. Any other failure stops
 * the writer and fails the rebuild: a shadow built past a failed event would be wrong.
 */
final class RebuildWriter {

    private static final List<StoredEvent> END = List.of();

    private final Thread thread;
    private final List<AnnotationEventHandlerAdapter> handlers;
    private final TransactionManager transactions;
    private final StoredEventMessages messages;
    private final BlockingQueue<List<StoredEvent>> queue;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final UnprojectableEvents unprojectable;
    private final Map<String, HeldAccount> held = new ConcurrentHashMap<>();
    private volatile long committedThrough;

    RebuildWriter(String name, List<AnnotationEventHandlerAdapter> handlers, TransactionManager transactions,
                  StoredEventMessages messages, int queuedBatches, UnprojectableEvents unprojectable) {
        this.unprojectable = unprojectable;
        this.handlers = handlers;
        this.transactions = transactions;
        this.messages = messages;
        this.queue = new ArrayBlockingQueue<>(queuedBatches);
        this.thread = new Thread(this::work, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void submit(List<StoredEvent> batch) throws InterruptedException {
        pending.incrementAndGet();
        while (!queue.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throwIfFailed();
        }
    }

    /** No more batches: the writer ends once it has written what it holds. */
    void finish() throws InterruptedException {
        while (!queue.offer(END, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throwIfFailed();
        }
    }

    void awaitDone() throws InterruptedException {
        thread.join();
        throwIfFailed();
    }

    void stop() {
        thread.interrupt();
    }

    /** The position below which this writer has committed everything it was given, {@code ifIdle} when it has nothing left. */
    long committedThrough(long ifIdle) {
        return pending.get() == 0 ? ifIdle : committedThrough;
    }

    /** The accounts this writer holds, once it is done. */
    List<HeldAccount> held() {
        return List.copyOf(held.values());
    }

    static void throwIfAnyFailed(List<RebuildWriter> writers) {
        writers.forEach(RebuildWriter::throwIfFailed);
    }

    private void throwIfFailed() {
        Throwable failed = failure.get();
        if (failed != null) {
            throw new ToolFailure("a projection failed: " + failed, failed);
        }
    }

    private void work() {
        try {
            while (true) {
                List<StoredEvent> batch = queue.take();
                if (batch == END) {
                    return;
                }
                write(batch);
                committedThrough = batch.get(batch.size() - 1).position();
                pending.decrementAndGet();
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Throwable failed) {
            failure.set(failed);
        }
    }

    /**
     * Writes the batch; when it fails only because an event in it cannot be applied (the
     * projections found which, and now refuse it), writes it again: the refused event's account
     * is then held from that event on. Each pass finds one more such event, so at most one pass
     * per event.
     */
    private void write(List<StoredEvent> events) throws Exception {
        List<TrackedEventMessage<?>> batch = new ArrayList<>(events.size());
        for (StoredEvent event : events) {
            batch.add(messages.of(event));
        }
        for (int pass = 0; ; pass++) {
            int refusedBefore = unprojectable.refused().size();
            Map<String, HeldAccount> heldBefore = Map.copyOf(held);
            Throwable failed = writeOnce(batch);
            if (failed == null) {
                return;
            }
            held.clear();
            held.putAll(heldBefore);
            if (unprojectable.refused().size() <= refusedBefore || pass >= batch.size()) {
                throw failed instanceof Exception exception ? exception : new IllegalStateException(failed);
            }
        }
    }

    private Throwable writeOnce(List<TrackedEventMessage<?>> batch) {
        BatchingUnitOfWork<TrackedEventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
        unitOfWork.attachTransaction(transactions);
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            EventMessage<?> message = unitOfWork.getMessage();
            if (isHeld(message)) {
                return null;
            }
            try {
                for (AnnotationEventHandlerAdapter handler : handlers) {
                    if (handler.canHandle(message)) {
                        handler.handle(message);
                    }
                }
            } catch (UnprojectableEvent refused) {
                hold((DomainEventMessage<?>) message, refused.getMessage());
            }
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        return result.isExceptional() ? result.exceptionResult() : null;
    }

    private boolean isHeld(EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> event)) {
            return false;
        }
        HeldAccount account = held.get(event.getAggregateIdentifier());
        if (account == null || positionOf(event) < account.position()) {
            return false;
        }
        held.put(account.accountId(), account.withOneMoreHeld());
        return true;
    }

    private void hold(DomainEventMessage<?> event, String cause) {
        held.put(event.getAggregateIdentifier(), new HeldAccount(event.getAggregateIdentifier(), positionOf(event),
                event.getIdentifier(), event.getPayloadType().getSimpleName(), cause, 0));
    }

    private static long positionOf(EventMessage<?> event) {
        return ((TrackedEventMessage<?>) event).trackingToken().position().orElse(0);
    }
}
