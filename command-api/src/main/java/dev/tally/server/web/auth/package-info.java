/** API keys (hashed), the four roles, the bootstrap admin key and per-request authentication. */
package dev.tally.server.web.auth;
