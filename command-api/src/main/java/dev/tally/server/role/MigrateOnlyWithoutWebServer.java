package dev.tally.server.role;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * A migration run ({@code TALLY_ROLES=migrate}) opens no HTTP port: it is a Kubernetes Job that must
 * exit when the schema is current, and nothing should route traffic to it meanwhile. The roles are
 * known only once the environment is prepared, which is still before the context type is chosen.
 */
public final class MigrateOnlyWithoutWebServer implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (TallyRoles.from(event.getEnvironment()).migrateOnly()) {
            event.getSpringApplication().setWebApplicationType(WebApplicationType.NONE);
        }
    }
}
