/** Who and what a request is, for the audit trail: its request id and the origin of the commands it sends. */
package dev.tally.server.web.request;
