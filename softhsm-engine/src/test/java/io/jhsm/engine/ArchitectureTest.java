package io.jhsm.engine;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers the README's Architecture section and the package-info files describe, kept honest: the
 * main classes of the api and the engine (tests may cross any line).
 */
@AnalyzeClasses(packages = {"io.jhsm.pkcs11", "io.jhsm.engine"}, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule apiDependsOnNothingOfOurs = noClasses().that().resideInAPackage("io.jhsm.pkcs11..")
            .should().dependOnClassesThat(resideInAPackage("io.jhsm..").and(not(resideInAPackage("io.jhsm.pkcs11.."))));

    @ArchTest
    static final ArchRule engineNeverDependsOnItsConsumers = noClasses().that().resideInAPackage("io.jhsm.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jhsm.bridge..", "io.jhsm.cli..", "io.jhsm.conformance..");

    /** Mechanisms see keys and templates through their views only: no objects, stores, tokens, sessions or calls. */
    @ArchTest
    static final ArchRule mechanismsKnowNothingOfTokensSessionsOrFunctions = noClasses()
            .that().resideInAPackage("io.jhsm.engine.mechanism..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jhsm.engine", "io.jhsm.engine.config..",
                    "io.jhsm.engine.function..", "io.jhsm.engine.session..", "io.jhsm.engine.token..",
                    "io.jhsm.engine.cloudhsm..", "io.jhsm.engine.object..", "io.jhsm.engine.store..");

    /** Every package is a slice of its own (io.jhsm.engine.mechanism.aes, …), the engine root included. */
    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("io.jhsm.(**)").should().beFreeOfCycles();
}
