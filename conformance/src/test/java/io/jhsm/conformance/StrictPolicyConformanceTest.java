package io.jhsm.conformance;

import io.jhsm.conformance.target.NativeTarget;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * dist/libjhsm.so over a token whose JHSM_CONF says {@code key-policy = strict}: the anti-extraction policy
 * must refuse every attack of the suite (and still pass every specification rule), which is what
 * {@code dist/jhsm conformance --strict} demands of a module.
 */
class StrictPolicyConformanceTest extends ConformanceTestBase {
    static NativeTarget target;

    @BeforeAll
    static void open() {
        target = NativeTarget.jhsm(Path.of(System.getProperty("jhsm.dist", "../dist"), "libjhsm.so").toAbsolutePath(),
                "key-policy = strict\n");
    }

    @AfterAll
    static void close() throws Exception {
        writeReport(target, "jhsm-strict.md");
        target.close();
    }

    @TestFactory
    Stream<DynamicTest> everyAttackIsRefused() {
        return run(target, ConformanceTestBase::mustNotFail, rule -> rule.id().startsWith("attack.") || rule.id().startsWith("policy."));
    }
}
