/** Credit endpoints: grant and void. */
package dev.tally.server.credit;
