/** Reading the event store: rows through a cursor in ledger order, payloads deserialized as the server does. */
package dev.tally.replay.events;
