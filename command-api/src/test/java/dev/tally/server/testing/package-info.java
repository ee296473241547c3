/** Test support: the real PostgreSQL, the server under test and a small HTTP client. */
package dev.tally.server.testing;
