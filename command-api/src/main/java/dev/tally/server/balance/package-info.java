/** The balance endpoint. */
package dev.tally.server.balance;
