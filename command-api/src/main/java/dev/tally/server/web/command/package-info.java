/** Command dispatch from the HTTP edge, with typed outcomes and retry of lost concurrency races. */
package dev.tally.server.web.command;
