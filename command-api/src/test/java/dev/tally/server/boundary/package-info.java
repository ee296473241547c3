/** Tests of the API's boundary: what the server refuses, with which code, and that a refusal writes nothing. */
package dev.tally.server.boundary;
