/**
 * Managing API keys over HTTP: issue, list, revoke and rotate (admins), a key's recorded changes
 * (admins and auditors) and {@code GET /v1/me}. The keys themselves, their hashes and the change
 * record are kept by {@code dev.tally.server.web.auth.ApiKeyStore}.
 */
package dev.tally.server.apikey;
