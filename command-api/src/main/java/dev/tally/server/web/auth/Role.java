package dev.tally.server.web.auth;

import java.util.Locale;

/** The four roles of spec section 8. */
public enum Role {
    ADMIN, FINANCE, AUDITOR, CLIENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        return null;
    }
}
