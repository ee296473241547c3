/** problem+json errors: the exception that carries a code, and the handler that answers it. */
package dev.tally.server.web.error;
