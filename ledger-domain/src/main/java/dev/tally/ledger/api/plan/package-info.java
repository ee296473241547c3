/** Plans and their versions: the messages that publish them and describe their prices. */
package dev.tally.ledger.api.plan;
