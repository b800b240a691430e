package io.jhsm.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The node serves the engine: it never reaches up into the client, the CLI, the bridge or the conformance suite. */
@AnalyzeClasses(packages = {"io.jhsm.node", "io.jhsm.protocol"}, importOptions = ImportOption.DoNotIncludeTests.class)
class NodeLayerTest {
    @ArchTest
    static final ArchRule nodeDependsOnTheEngineAndTheProtocolOnly = noClasses().that().resideInAPackage("io.jhsm.node..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jhsm.client..", "io.jhsm.cli..", "io.jhsm.bridge..",
                    "io.jhsm.conformance..");

    @ArchTest
    static final ArchRule protocolDependsOnTheApiOnly = noClasses().that().resideInAPackage("io.jhsm.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jhsm.engine..", "io.jhsm.node..", "io.jhsm.client..",
                    "io.jhsm.cli..", "io.jhsm.bridge..");
}
