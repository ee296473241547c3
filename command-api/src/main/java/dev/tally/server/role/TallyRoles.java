package dev.tally.server.role;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.env.Environment;

/**
 * The roles this process runs ({@code tally.roles}, from {@code TALLY_ROLES}): a comma-separated
 * list of {@code api}, {@code projections}, {@code integrations}, {@code scheduler}; unset or
 * empty means all four. {@code migrate} stands alone: migrate the database, then exit.
 *
 * <p>Parsed here rather than by Spring's enum conversion so that a typo fails start-up with the
 * list of valid values, and so that the conditions (evaluated before any bean exists) and the
 * bean agree on one reading.
 */
@ConfigurationProperties(prefix = "tally")
public record TallyRoles(String roles) {

    public static final String PROPERTY = "tally.roles";
    static final Set<TallyRole> DEFAULT = EnumSet.of(TallyRole.API, TallyRole.PROJECTIONS, TallyRole.INTEGRATIONS,
            TallyRole.SCHEDULER);

    public TallyRoles {
        parse(roles);
    }

    public static TallyRoles from(Environment environment) {
        return new TallyRoles(environment.getProperty(PROPERTY));
    }

    public Set<TallyRole> active() {
        return parse(roles);
    }

    public boolean runs(TallyRole role) {
        return active().contains(role);
    }

    public boolean migrateOnly() {
        return runs(TallyRole.MIGRATE);
    }

    private static Set<TallyRole> parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return EnumSet.copyOf(DEFAULT);
        }
        Set<TallyRole> parsed = EnumSet.noneOf(TallyRole.class);
        List<String> unknown = new ArrayList<>();
        for (String value : commaSeparated.split(",")) {
            String trimmed = value.trim().toLowerCase(Locale.ROOT);
            Arrays.stream(TallyRole.values()).filter(role -> role.value().equals(trimmed)).findFirst()
                    .ifPresentOrElse(parsed::add, () -> unknown.add(value.trim()));
        }
        if (!unknown.isEmpty() || parsed.isEmpty()) {
            throw new IllegalArgumentException("TALLY_ROLES (tally.roles) '" + commaSeparated + "' names unknown roles "
                    + unknown + "; expected a comma-separated list of " + DEFAULT.stream().map(TallyRole::value)
                    .collect(Collectors.joining(", ")) + ", or migrate alone");
        }
        if (parsed.contains(TallyRole.MIGRATE) && parsed.size() > 1) {
            throw new IllegalArgumentException("TALLY_ROLES (tally.roles) '" + commaSeparated
                    + "': migrate runs alone (it migrates the database and exits)");
        }
        return parsed;
    }
}
