package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why: the reference machines are shared virtual machines whose speed changes from run to run.
 * The CPU the whole machine spent per event (server, PostgreSQL and client together) and the share
 * the host took away (steal) say how far two runs' rates can be compared. Read from Linux's
 * {@code /proc/stat}; absent elsewhere.
 */
record MachineCpu(long busyTicks, long stealTicks, long idleTicks) {

    /** Linux reports {@code /proc/stat} in USER_HZ, 100 per second on every architecture it runs on here. */
    private static final double TICKS_PER_SECOND = 100.0;

    static Optional<MachineCpu> now() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = Long.parseLong(fields[1]) + Long.parseLong(fields[2]) + Long.parseLong(fields[3])
                    + Long.parseLong(fields[6]) + Long.parseLong(fields[7]);
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
            return Optional.of(new MachineCpu(busy, steal, idle));
        } catch (IOException | RuntimeException notLinux) {
            return Optional.empty();
        }
    }

    /** What was spent between {@code start} and this reading. */
    MachineCpu since(MachineCpu start) {
        return new MachineCpu(busyTicks - start.busyTicks, stealTicks - start.stealTicks, idleTicks - start.idleTicks);
    }

    /** Busy CPU time of every process on the machine, in microseconds per {@code units}. */
    double busyMicrosPer(long units) {
        return busyTicks / TICKS_PER_SECOND * 1e6 / units;
    }

    /** The share of the machine's CPU time the host gave to others. */
    double stolenShare() {
        long all = busyTicks + stealTicks + idleTicks;
        return all == 0 ? 0 : (double) stealTicks / all;
    }
}
