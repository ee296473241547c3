package dev.tally.server.web.auth;

import dev.tally.server.role.ConditionalOnTallyRole;
import dev.tally.server.role.TallyRole;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the first start (no keys at all) makes {@code TALLY_BOOTSTRAP_ADMIN_KEY} an admin key, or
 * generates one and prints it once. An advisory lock keeps two servers starting together from
 * both doing it.
 */
@ConditionalOnTallyRole(TallyRole.API)
@Component
class BootstrapAdminKey {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);
    private static final long BOOTSTRAP_LOCK = 0x7a11_0001L;
    /** The actor recorded for the first key: no key existed to issue it. */
    private static final ApiKeyStore.ChangeOrigin BOOTSTRAP = new ApiKeyStore.ChangeOrigin("system:bootstrap", null);

    private final ApiKeyStore keys;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String configuredKey;

    BootstrapAdminKey(ApiKeyStore keys, JdbcTemplate jdbc, TransactionTemplate transactions,
                      @Value("${tally.bootstrap-admin-key:}") String configuredKey) {
        this.keys = keys;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.configuredKey = configuredKey;
    }

    @EventListener(ApplicationReadyEvent.class)
    void createFirstKey() {
        transactions.executeWithoutResult(status -> {
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, BOOTSTRAP_LOCK);
            if (!keys.isEmpty()) {
                return;
            }
            if (configuredKey != null && !configuredKey.isBlank()) {
                keys.store("bootstrap admin", Role.ADMIN, Set.of(), configuredKey, BOOTSTRAP);
                log.info("bootstrap admin key from TALLY_BOOTSTRAP_ADMIN_KEY stored");
            } else {
                ApiKeyStore.IssuedKey issued = keys.issue("bootstrap admin", Role.ADMIN, Set.of(), BOOTSTRAP);
                // Printed once, deliberately: it is the only way to learn a generated key.
                log.warn("no API keys existed; generated the admin key {} (shown only now)", issued.secret());
            }
        });
    }
}
