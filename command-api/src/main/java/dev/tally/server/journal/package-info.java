/** The journal endpoint. */
package dev.tally.server.journal;
