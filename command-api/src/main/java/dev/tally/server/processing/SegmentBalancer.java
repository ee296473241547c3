package dev.tally.server.processing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Spreads each streaming processor's segments over the processes that run it. Every process
 * records that it is alive for each of its processors ({@code axon.processor_member}); one that
 * holds more than its fair share (segments divided by live members, rounded up) releases the
 * excess for a moment, and a member with fewer claims it through Axon's ordinary token claim.
 * Members are named as Axon names token owners, so that the two can be compared.
 *
 * <p>A member that stops refreshing drops out of the count after {@code memberExpiry}, which must
 * be shorter than the token store's claim timeout: by the time the others may take a dead
 * member's segments, it no longer counts, and nobody gives back what it has just taken.
 */
public class SegmentBalancer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;
    private final String member;
    private final Duration memberExpiry;
    private volatile boolean running;

    public SegmentBalancer(JdbcTemplate jdbc, EventProcessingConfiguration processing, String member,
                           Duration memberExpiry) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.member = member;
        this.memberExpiry = memberExpiry;
    }

    /** Runs {@link #balance()} now and then; a failure waits for the next run (a database blip must not stop it). */
    @Scheduled(initialDelayString = "${tally.processing.balance-interval:PT2S}",
            fixedDelayString = "${tally.processing.balance-interval:PT2S}")
    public void balanceNow() {
        try {
            balance();
        } catch (RuntimeException failure) {
            log.warn("balancing processor segments failed; trying again on the next run", failure);
        }
    }

    /** Membership begins once everything else has started. */
    @Override
    public void start() {
        running = true;
    }

    /**
     * Leaves before Axon stops the processors (the highest phase stops first): a member that still
     * counted while holding nothing would make a survivor hand back the segments it just took over.
     */
    @Override
    public synchronized void stop() {
        running = false;
        try {
            leave();
        } catch (RuntimeException failure) {
            log.warn("could not leave the processor membership; the others count this process for {} more",
                    memberExpiry, failure);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /** Refreshes this process's membership and releases what it holds beyond its share; answers what it released. */
    public synchronized Map<String, List<Integer>> balance() {
        Map<String, List<Integer>> released = new TreeMap<>();
        if (!running) {
            return released;
        }
        for (Map.Entry<String, StreamingEventProcessor> entry : streamingProcessors().entrySet()) {
            String group = entry.getKey();
            StreamingEventProcessor processor = entry.getValue();
            // A processor backing off after an error claims nothing, so it must not count as one that could.
            if (!processor.isRunning() || processor.isError()) {
                continue;
            }
            refreshMembership(group);
            List<Integer> excess = excessSegments(group, processor);
            // For twice the processor's claim interval (Axon's default): the other member's next claim attempt
            // falls inside it, and should that member go away first, the segment is not left unclaimed for long.
            excess.forEach(processor::releaseSegment);
            if (!excess.isEmpty()) {
                log.info("released segments {} of {} so that another member can claim them", excess, group);
                released.put(group, excess);
            }
        }
        return released;
    }

    /** Leaves every processor's membership, so that the others need not wait for this process to expire. */
    public void leave() {
        jdbc.update("DELETE FROM axon.processor_member WHERE member = ?", member);
    }

    /** The live members of {@code group}'s processor, this process included once it has balanced. */
    public List<String> liveMembers(String group) {
        return jdbc.queryForList("""
                SELECT member FROM axon.processor_member
                WHERE processor_name = ? AND last_seen > now() - make_interval(secs => ?)""",
                String.class, group, memberExpiry.toMillis() / 1000.0);
    }

    private void refreshMembership(String group) {
        jdbc.update("""
                INSERT INTO axon.processor_member (processor_name, member, last_seen) VALUES (?, ?, now())
                ON CONFLICT (processor_name, member) DO UPDATE SET last_seen = excluded.last_seen""", group, member);
        // Members gone for long are forgotten, so that the table stays as small as the cluster.
        jdbc.update("DELETE FROM axon.processor_member WHERE processor_name = ? AND last_seen < now() - interval '1 day'",
                group);
    }

    /**
     * What this process holds beyond its share, if another live member holds less than its own
     * share and so can take it. Without that condition a process would release a segment that it
     * has just taken over from a member that died but has not yet expired.
     */
    private List<Integer> excessSegments(String group, StreamingEventProcessor processor) {
        Map<String, Integer> heldByOwner = new TreeMap<>();
        int[] segments = {0};
        jdbc.query("SELECT owner FROM axon.token_entry WHERE processorName = ?", row -> {
            segments[0]++;
            String owner = row.getString(1);
            if (owner != null) {
                heldByOwner.merge(owner, 1, Integer::sum);
            }
        }, group);
        List<String> members = liveMembers(group);
        int share = (segments[0] + Math.max(1, members.size()) - 1) / Math.max(1, members.size());
        boolean anotherCanTake = members.stream()
                .anyMatch(other -> !other.equals(member) && heldByOwner.getOrDefault(other, 0) < share);
        List<Integer> held = processor.processingStatus().keySet().stream().sorted().toList();
        if (!anotherCanTake || held.size() <= share) {
            return List.of();
        }
        return held.subList(share, held.size());
    }

    private Map<String, StreamingEventProcessor> streamingProcessors() {
        Map<String, StreamingEventProcessor> processors = new TreeMap<>();
        processing.eventProcessors().forEach((group, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                processors.put(group, streaming);
            }
        });
        return processors;
    }
}
