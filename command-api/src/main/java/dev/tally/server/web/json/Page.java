package dev.tally.server.web.json;

import java.util.List;

/** A page of a list endpoint: items in ledger order and the cursor of the next page (null on the last). */
public record Page<T>(List<T> items, String nextCursor) {
}
