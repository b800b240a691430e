package io.jhsm.conformance;

import io.jhsm.conformance.target.NativeTarget;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * dist/libjhsm.so through NativeCryptoki must pass every specification rule; extraction-resistance rules are
 * only reported, as the default token follows plain PKCS#11 (StrictPolicyConformanceTest checks them). Loaded into this JVM the library
 * attaches to it and runs the engine from the test class path; JHSM_CONF is set by surefire.
 */
class SharedObjectConformanceTest extends ConformanceTestBase {
    static NativeTarget target;

    @BeforeAll
    static void open() {
        target = NativeTarget.jhsm(Path.of(System.getProperty("jhsm.dist", "../dist"), "libjhsm.so").toAbsolutePath());
    }

    @AfterAll
    static void close() throws Exception {
        writeReport(target, "jhsm-shared-object.md");
        target.close();
    }

    @TestFactory
    Stream<DynamicTest> everySpecRule() {
        return run(target, ConformanceTestBase::specRulesHold);
    }
}
