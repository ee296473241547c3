/** Manual charge and adjustment endpoint. */
package dev.tally.server.charge;
