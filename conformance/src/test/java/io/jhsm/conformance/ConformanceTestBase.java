package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jhsm.conformance.profile.Expectations;
import io.jhsm.conformance.rules.Outcome;
import io.jhsm.conformance.rules.Outcome.Status;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.target.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;

/**
 * One dynamic test per rule against one target; the run's Markdown report goes to
 * target/conformance/. -Dconformance.scale multiplies the examples, -Dconformance.seed fixes the seed.
 */
abstract class ConformanceTestBase {
    static final long SEED = Long.getLong("conformance.seed", 20240611L);
    static final double SCALE = Double.parseDouble(System.getProperty("conformance.scale", "1"));
    static final List<Outcome> OUTCOMES = new ArrayList<>();

    static Stream<DynamicTest> run(Target target, Consumer<Outcome> expectation) {
        return run(target, expectation, rule -> true);
    }

    /** As above, running only the rules {@code runnable} accepts (a rule known to crash a module's host process is not run in-process). */
    static Stream<DynamicTest> run(Target target, Consumer<Outcome> expectation, java.util.function.Predicate<Rule> runnable) {
        return run(target, Expectations.PKCS11, expectation, runnable);
    }

    /** As above, expecting the behaviour of {@code expected}'s profile (its known deviations run as their probes). */
    static Stream<DynamicTest> run(Target target, Expectations expected, Consumer<Outcome> expectation,
                                   java.util.function.Predicate<Rule> runnable) {
        Runner runner = new Runner(target, SEED, SCALE, System.out, expected);
        String only = System.getProperty("conformance.only", "");
        return Catalog.all().stream().filter(r -> r.id().startsWith(only) && runnable.test(r)).map(rule -> DynamicTest.dynamicTest(rule.id(), () -> {
            Outcome o = runner.run(rule);
            OUTCOMES.add(o);
            expectation.accept(o);
        }));
    }

    /** A default token follows plain PKCS#11: its spec rules must hold; extraction rules are only reported. */
    static void specRulesHold(Outcome o) {
        if (o.rule().isSpec()) {
            mustNotFail(o);
        }
    }

    static void mustNotFail(Outcome o) {
        assertNotEquals(Status.FAILED, o.status(), () -> o.rule().id() + ": " + o.detail());
    }

    static void writeReport(Target target, String file) throws Exception {
        writeReport(target, file, io.jhsm.engine.profile.TokenProfile.PKCS11);
    }

    static void writeReport(Target target, String file, io.jhsm.engine.profile.TokenProfile profile) throws Exception {
        Path dir = Path.of(System.getProperty("conformance.reports", "target/conformance"));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), Report.markdown(target.name(), file, SEED, profile, OUTCOMES));
        OUTCOMES.clear();
    }

    static List<Rule> rules() {
        return Catalog.all();
    }

    @AfterAll
    static void clear() {
        OUTCOMES.clear();
    }
}
