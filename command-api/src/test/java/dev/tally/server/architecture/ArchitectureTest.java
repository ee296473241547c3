package dev.tally.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

// Goal: the module boundaries of STYLE.md hold in the compiled code, not only in intention.
class ArchitectureTest {

    private static JavaClasses tally;

    @BeforeAll
    static void importTally() {
        tally = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tally");
    }

    @Test
    void everyControllerBelongsToARole() {
        // A controller without its role would answer in every Kubernetes Deployment.
        classes().that().areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .should().beAnnotatedWith("dev.tally.server.role.ConditionalOnTallyRole")
                .check(tally);
    }

    @Test
    void everyAccountCommandSaysWhichAccountItIsFor() {
        // The server routes account commands by ForAccount; one without it would take Axon's slower annotation scan.
        codeUnits().that().areDeclaredIn("dev.tally.ledger.account.Account")
                .and().areAnnotatedWith("org.axonframework.commandhandling.CommandHandler")
                .should(new ArchCondition<JavaCodeUnit>("take a command that implements ForAccount first") {
                    @Override
                    public void check(JavaCodeUnit handler, ConditionEvents events) {
                        boolean forAccount = !handler.getRawParameterTypes().isEmpty()
                                && handler.getRawParameterTypes().get(0).isAssignableTo("dev.tally.ledger.api.account.ForAccount");
                        events.add(new SimpleConditionEvent(handler, forAccount,
                                handler.getFullName() + (forAccount ? " handles" : " does not handle") + " a ForAccount command"));
                    }
                })
                .check(tally);
    }

    @Test
    void everySchedulerBelongsToARole() {
        // A scheduled job without its role would run in every Kubernetes Deployment.
        classes().that().areAnnotatedWith("org.springframework.stereotype.Component")
                .and().resideInAPackage("dev.tally.server.scheduling")
                .should().beAnnotatedWith("dev.tally.server.role.ConditionalOnTallyRole")
                .check(tally);
    }

    @Test
    void domainUsesNoSpringAndNoSql() {
        noClasses().that().resideInAPackage("dev.tally.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..",
                        "jakarta.persistence..", "org.postgresql..", "org.flywaydb..")
                .check(tally);
    }

    @Test
    void domainDoesNotReachIntoOuterModules() {
        noClasses().that().resideInAPackage("dev.tally.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.server..", "dev.tally.projections..",
                        "dev.tally.integrations..")
                .check(tally);
    }

    @Test
    void projectionsNeverDispatchCommands() {
        noClasses().that().resideInAPackage("dev.tally.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.commandhandling..",
                        "dev.tally.server..")
                .check(tally);
    }

    @Test
    void projectionsNeverTouchAggregates() {
        noClasses().that().resideInAPackage("dev.tally.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.ledger.account..", "dev.tally.ledger.plan..")
                .check(tally);
    }

    @Test
    void integrationsReachTheDomainOnlyThroughMessages() {
        noClasses().that().resideInAPackage("dev.tally.integrations..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tally.ledger.account..", "dev.tally.ledger.plan..",
                        "dev.tally.ledger.rating..", "dev.tally.projections..", "dev.tally.server..")
                .allowEmptyShould(true)
                .check(tally);
    }

    @Test
    void commandsAndEventsAreRecords() {
        classes().that().resideInAPackage("dev.tally.ledger.api..")
                .and().haveSimpleNameNotEndingWith("Units").and().haveSimpleNameNotEndingWith("Accounts")
                .and().haveSimpleNameNotEndingWith("Streams").and().haveSimpleNameNotEndingWith("Ids")
                .and().areNotEnums().and().areNotInterfaces().and().areTopLevelClasses()
                .and().doNotHaveSimpleName("package-info")
                .should().beAssignableTo(Record.class)
                .check(tally);
    }

    @Test
    void messageNamesCarryNoTechnicalSuffix() {
        noClasses().that().resideInAPackage("dev.tally.ledger.api..")
                .should().haveSimpleNameEndingWith("Command").orShould().haveSimpleNameEndingWith("Event")
                .check(tally);
    }
}
