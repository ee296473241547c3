/** How the API reads and writes JSON values: decimals as strings, timestamps, pages and cursors. */
package dev.tally.server.web.json;
