package dev.tally.server.axon;

import dev.tally.ledger.api.account.ForAccount;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

/**
 * Routes an account command to its account by {@link ForAccount#accountId()}. Axon's
 * annotation resolver walks the command class's methods and fields twice per command (identifier
 * and version), about a twenty-fifth of the ingestion threads' CPU; any other command still goes
 * to it. Account commands carry no expected version, as with the annotations.
 */
final class AccountCommandTargetResolver implements CommandTargetResolver {

    private final CommandTargetResolver annotations = AnnotationCommandTargetResolver.builder().build();

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        if (command.getPayload() instanceof ForAccount forAccount && forAccount.accountId() != null) {
            return new VersionedAggregateIdentifier((Object) forAccount.accountId(), null);
        }
        // Other commands, and Axon's own refusal (by its message) for one that names no aggregate.
        return annotations.resolveTarget(command);
    }
}
