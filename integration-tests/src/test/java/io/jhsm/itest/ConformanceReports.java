package io.jhsm.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a test's {@code jhsm conformance --report} goes, and what a failure message takes from it. The
 * console shows only a failed rule's first line ("Property falsified after 1 example(s)"); the cause and
 * the seed are in the report, so it is written under target/ (it outlives the test's temp directory) and
 * the failed rules' sections go into the assertion message.
 */
final class ConformanceReports {
    private ConformanceReports() {}

    /** target/conformance-reports/NAME.md, with any earlier run's copy removed so a stale report never misleads. */
    static Path kept(String name) {
        try {
            Path report = Files.createDirectories(Path.of("target", "conformance-reports")).resolve(name + ".md")
                    .toAbsolutePath();
            Files.deleteIfExists(report);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every failed rule's section of the report (statement, counterexample, cause, seed), and where the report is. */
    static String failedRules(Path report) {
        if (!Files.isRegularFile(report)) {
            return "--- no report was written at " + report;
        }
        String md;
        try {
            md = Files.readString(report);
        } catch (IOException e) {
            return "--- cannot read the report " + report + ": " + e;
        }
        String failed = Arrays.stream(md.split("(?m)^(?=### )"))
                .filter(section -> section.startsWith("### **FAILED**") || section.startsWith("### **EXTRACTED**"))
                .collect(Collectors.joining());
        return "--- the report's failed rules (whole report: " + report + "):\n" + (failed.isEmpty() ? "(none)\n" : failed);
    }
}
