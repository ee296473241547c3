package dev.tally.server.role;

import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says once, at start-up, which roles this process runs, so that an operator can tell the pods apart in the logs. */
@Component
class RoleAnnouncement {

    private static final Logger log = LoggerFactory.getLogger(RoleAnnouncement.class);

    private final TallyRoles roles;

    RoleAnnouncement(TallyRoles roles) {
        this.roles = roles;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        log.info("running roles: {}", roles.active().stream().map(TallyRole::value).collect(Collectors.joining(", ")));
    }
}
