/** What issuing an invoice needs from outside the aggregate: gap-free invoice numbers. */
package dev.tally.ledger.invoice;
