package io.jhsm.conformance;

import io.jhsm.conformance.target.InProcessTarget;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** jhsm's engine called directly must pass every rule (the C ABI rules are skipped: there is no ABI here). */
class InProcessConformanceTest extends ConformanceTestBase {
    static InProcessTarget target;

    @BeforeAll
    static void open() {
        target = new InProcessTarget();
    }

    @AfterAll
    static void close() throws Exception {
        writeReport(target, "jhsm-in-process.md");
        target.close();
    }

    @TestFactory
    Stream<DynamicTest> everyRule() {
        return run(target, ConformanceTestBase::mustNotFail);
    }
}
