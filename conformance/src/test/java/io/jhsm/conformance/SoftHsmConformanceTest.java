package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.target.NativeTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * SoftHSMv2 as the reference module: the rules it fails must be exactly those in
 * softhsm-known-failures.md, so that list changes only on purpose.
 */
class SoftHsmConformanceTest extends ConformanceTestBase {
    static NativeTarget target;
    static Map<String, String> known;

    @BeforeAll
    static void open() throws Exception {
        known = KnownFailures.parse(Files.readString(Path.of(System.getProperty("conformance.knownFailures",
                "softhsm-known-failures.md"))));
        target = NativeTarget.softHsm(Path.of(System.getProperty("softhsm.module", "/usr/lib/softhsm/libsofthsm2.so")));
    }

    @AfterAll
    static void close() throws Exception {
        writeReport(target, "softhsm.md");
        target.close();
    }

    @TestFactory
    Stream<DynamicTest> failsExactlyTheKnownRules() {
        return run(target, SoftHsmConformanceTest::asListed, rule -> !crashesTheProcess(rule.id()));
    }

    /** A listed rule whose reason starts "crashes" takes the test JVM down with SoftHSM, so it is listed, not run. */
    static boolean crashesTheProcess(String id) {
        return known.getOrDefault(id, "").startsWith("crashes");
    }

    static void asListed(Outcome o) {
        String id = o.rule().id();
        if (known.containsKey(id)) {
            assertEquals(Status.FAILED, o.status(), id + " is listed as failing on SoftHSM (" + known.get(id)
                    + ") but " + o.status() + ": remove it from softhsm-known-failures.md");
        } else {
            assertTrue(o.status() != Status.FAILED, id + " fails on SoftHSM and is not listed: " + o.detail());
        }
    }

    @Test
    void everyListedRuleExists() {
        Set<String> ids = rules().stream().map(Rule::id).collect(Collectors.toSet());
        for (String id : known.keySet()) {
            assertTrue(ids.contains(id), "softhsm-known-failures.md names an unknown rule " + id);
        }
    }
}
