/** Plan endpoints: publish a version, read all versions. */
package dev.tally.server.plan;
