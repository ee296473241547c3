/** The Tally ledger domain: aggregates and pure billing rules, free of Spring and SQL. */
package dev.tally.ledger;
