/** Small pieces shared by the projections: processor names, the schema projections write in, batching and time conversion. */
package dev.tally.projections.support;
