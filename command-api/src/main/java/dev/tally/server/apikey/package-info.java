/** Issuing API keys. */
package dev.tally.server.apikey;
