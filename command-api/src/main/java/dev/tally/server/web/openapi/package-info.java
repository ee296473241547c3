/**
 * The OpenAPI document at {@code /v3/api-docs}: what a client needs to call the API (bearer
 * authentication, request bodies with their required members, every problem an operation can
 * answer with its codes) and nothing of the server's insides. A test checks the served document
 * against the committed one from which the test client is generated.
 */
package dev.tally.server.web.openapi;
