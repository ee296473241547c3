package dev.tally.server.role;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/** The annotated bean or configuration exists only in a process that runs one of {@code value} (see {@link TallyRoles}). */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(TallyRoleCondition.class)
public @interface ConditionalOnTallyRole {

    TallyRole[] value();
}
