package dev.tally.server.web.json;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A string in a request body that breaks the text rules. A {@link MismatchedInputException} so
 * that Jackson adds the member's path as it unwinds, and the answer can name the field.
 */
public final class InvalidTextInput extends MismatchedInputException {

    private final String violation;

    InvalidTextInput(JsonParser parser, String violation) {
        super(parser, "text " + violation, String.class);
        this.violation = violation;
    }

    public String violation() {
        return violation;
    }
}
