package dev.tally.integrations.orb;

import java.util.List;

/**
 * An RFC 7807 error body as Orb sends it: {@code type} ends with a slug such as
 * {@code 400-duplicate-resource-creation}; {@code validationErrors} is filled for request
 * validation errors.
 */
public record OrbProblem(String type, int status, String title, String detail, List<String> validationErrors) {

    public static final String DUPLICATE_RESOURCE = "400-duplicate-resource-creation";

    public OrbProblem {
        validationErrors = validationErrors == null ? List.of() : List.copyOf(validationErrors);
    }

    /** The slug after the last {@code #}, or the whole type if there is none. */
    public String slug() {
        if (type == null) {
            return "";
        }
        int hash = type.lastIndexOf('#');
        return hash < 0 ? type : type.substring(hash + 1);
    }

    public boolean isDuplicateResource() {
        return DUPLICATE_RESOURCE.equals(slug());
    }
}
