/** Account endpoints: open an account on a plan, read it. */
package dev.tally.server.account;
