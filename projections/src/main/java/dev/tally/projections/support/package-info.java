/** Small pieces shared by the projections: processor names and time conversion. */
package dev.tally.projections.support;
