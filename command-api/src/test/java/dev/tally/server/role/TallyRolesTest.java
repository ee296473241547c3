package dev.tally.server.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

// Goal: TALLY_ROLES reads as documented: all four by default, any subset, migrate alone, and a clear refusal otherwise.
class TallyRolesTest {

    @Test
    void canRunAllFourRolesWhenUnsetOrEmpty() {
        assertThat(new TallyRoles(null).active()).isEqualTo(TallyRoles.DEFAULT);
        assertThat(new TallyRoles(" ").active()).isEqualTo(TallyRoles.DEFAULT);
        assertThat(TallyRoles.DEFAULT).doesNotContain(TallyRole.MIGRATE);
    }

    @Test
    void canRunASubsetWrittenWithSpacesAndCapitals() {
        TallyRoles roles = new TallyRoles("api, Scheduler");
        assertThat(roles.active()).isEqualTo(EnumSet.of(TallyRole.API, TallyRole.SCHEDULER));
        assertThat(roles.runs(TallyRole.PROJECTIONS)).isFalse();
        assertThat(roles.migrateOnly()).isFalse();
    }

    @Test
    void canMigrateOnly() {
        assertThat(new TallyRoles("migrate").migrateOnly()).isTrue();
    }

    @Test
    void cannotNameAnUnknownRole() {
        assertThatThrownBy(() -> new TallyRoles("api,reporting"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown roles [reporting]")
                .hasMessageContaining("api, projections, integrations, scheduler");
    }

    @Test
    void cannotNameNoRoleBetweenCommas() {
        assertThatThrownBy(() -> new TallyRoles(",")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cannotCombineMigrateWithAnotherRole() {
        assertThatThrownBy(() -> new TallyRoles("migrate,api"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("migrate runs alone");
    }
}
