package dev.tally.server.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tally.ledger.api.account.OpenAccount;
import dev.tally.ledger.api.audit.RecordCheckpoint;
import dev.tally.ledger.api.credit.ExpireCredit;
import dev.tally.ledger.api.usage.RecordUsage;
import java.util.List;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

// Goal: account commands reach the account Axon's annotation resolver would have chosen, and nothing else changes.
class AccountCommandTargetResolverTest {

    private final AccountCommandTargetResolver resolver = new AccountCommandTargetResolver();
    private final AnnotationCommandTargetResolver annotations = AnnotationCommandTargetResolver.builder().build();

    @Test
    void anAccountCommandGoesToItsAccountWithoutAnExpectedVersionAsTheAnnotationsSay() {
        for (Object command : List.of(new RecordUsage("acme", List.of()), new ExpireCredit("globex", "grant-1"))) {
            VersionedAggregateIdentifier target = resolver.resolveTarget(GenericCommandMessage.asCommandMessage(command));
            VersionedAggregateIdentifier expected = annotations.resolveTarget(GenericCommandMessage.asCommandMessage(command));

            assertThat(target.getIdentifierValue()).isEqualTo(expected.getIdentifierValue());
            assertThat(target.getVersion()).isNull();
            assertThat(expected.getVersion()).isNull();
        }
    }

    @Test
    void anyOtherCommandIsResolvedByItsAnnotations() {
        RecordCheckpoint checkpoint = new RecordCheckpoint(42, 3, "digest");

        assertThat(resolver.resolveTarget(GenericCommandMessage.asCommandMessage(checkpoint)).getIdentifierValue())
                .isEqualTo(checkpoint.streamId());
    }

    @Test
    void anAccountCommandWithoutAnAccountIsRefusedAsAxonRefusesIt() {
        // Axon recognises this refusal by its message (an aggregate-creating command may then go without an id).
        OpenAccount noAccount = new OpenAccount(null, "Acme", "USD", "plan", null, null, null, null);
        String axonsRefusal = catchThrowable(() -> annotations.resolveTarget(GenericCommandMessage.asCommandMessage(noAccount)))
                .getMessage();

        assertThatThrownBy(() -> resolver.resolveTarget(GenericCommandMessage.asCommandMessage(noAccount)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(axonsRefusal)
                .hasMessageContaining("It does not identify the target aggregate");
    }
}
