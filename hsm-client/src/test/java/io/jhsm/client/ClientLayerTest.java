package io.jhsm.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The client speaks the protocol and implements the api: it never holds an engine, so no key can be local. */
@AnalyzeClasses(packages = "io.jhsm.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ClientLayerTest {
    @ArchTest
    static final ArchRule clientDependsOnTheApiAndTheProtocolOnly = noClasses().that().resideInAPackage("io.jhsm.client..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jhsm.engine..", "io.jhsm.node..", "io.jhsm.cli..",
                    "io.jhsm.bridge..", "io.jhsm.conformance..");
}
