/**
 * {@code tally-replay rerate}: what an account's invoice for one billing period would have been
 * under another plan, line by line beside the real one. The account's recorded history is
 * re-executed in memory as the commands that produced it, through the domain's own aggregate, so
 * rating, drawdown, minimums and rounding are the ledger's code and never a second copy of it;
 * nothing is written to the ledger.
 */
package dev.tally.replay.rerate;
