package dev.tally.replay;

/** What the program's exit status tells a script. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The command ran and found something: differences, a broken invariant. */
    public static final int FINDING = 1;
    /** Bad arguments, an unreachable database, an unknown account: nothing was checked. */
    public static final int USAGE_OR_CONNECTION = 2;

    private ExitCodes() {
    }
}
