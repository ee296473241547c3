/** {@code diff}: two schemas of projections compared row by row in SQL, on the database server. */
package dev.tally.replay.diff;
