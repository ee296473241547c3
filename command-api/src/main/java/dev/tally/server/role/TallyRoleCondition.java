package dev.tally.server.role;

import java.util.Arrays;
import java.util.Map;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when the process's {@code tally.roles} include one of the roles named by {@link ConditionalOnTallyRole}. */
final class TallyRoleCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnTallyRole.class.getName());
        if (attributes == null) {
            throw new IllegalStateException("TallyRoleCondition used without @ConditionalOnTallyRole");
        }
        TallyRoles roles = TallyRoles.from(context.getEnvironment());
        return Arrays.stream((TallyRole[]) attributes.get("value")).anyMatch(roles::runs);
    }
}
