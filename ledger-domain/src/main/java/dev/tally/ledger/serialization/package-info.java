/** How the ledger's messages become JSON and back, shared by the server and the offline tools. */
package dev.tally.ledger.serialization;
