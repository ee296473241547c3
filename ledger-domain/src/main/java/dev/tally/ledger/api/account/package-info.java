/** Customer accounts: opening one on a plan, with its currency and billing calendar. */
package dev.tally.ledger.api.account;
