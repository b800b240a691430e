package io.jhsm.engine.mechanism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which backend runs, and what jhsm says when ACCP cannot be used. */
class CryptoBackendTest {
    private final List<String> lines = new ArrayList<>();
    private final AccpLoader.Log log = (level, where, message) -> lines.add(level + " " + where + ": " + message);

    private static final AccpLoader.Source MUST_NOT_LOAD = () -> {
        throw new AssertionError("ACCP was loaded where it must not be");
    };

    private static final AccpLoader.Source UNLOADABLE = () -> {
        throw new UnsatisfiedLinkError("libamazonCorrettoCryptoProvider.so: wrong ELF class");
    };

    /**
     * The build runs the mechanism tests twice (softhsm-engine's pom): once as configured by default (ACCP on
     * linux-x86_64) and once with JHSM_CRYPTO=portable. This proves which backend each run exercised.
     */
    @Test
    void theBackendIsTheOneThisRunAskedFor() {
        String asked = System.getenv(CryptoBackend.ENV);
        if ("portable".equalsIgnoreCase(asked)) {
            assertTrue(CryptoBackend.describe().startsWith("portable"), CryptoBackend.describe());
            assertTrue(CryptoBackend.accp().isEmpty());
        } else {
            assertEquals("linux-amd64", System.getProperty("os.name").toLowerCase() + "-" + System.getProperty("os.arch"),
                    "the build's ACCP dependency is the linux-x86_64 one");
            assertTrue(CryptoBackend.describe().startsWith("accp 2."), CryptoBackend.describe());
            assertTrue(CryptoBackend.accp().isPresent());
        }
    }

    /** Maven's JVM, like a host JVM, does not load ACCP's library from disk: a background load there could leave its temporary copy behind. */
    @Test
    void nothingIsPreloadedWhereAccpWouldExtractItsLibrary() {
        assumeTrue(!Boolean.getBoolean(CryptoBackend.ACCP_EXTERNAL_LIBRARY), "this JVM loads ACCP's library from disk");
        CryptoBackend.preload();
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("jhsm-crypto-preload")),
                "a preload thread started");
    }

    @Test
    void aForcedAccpThatCannotLoadRunsThePortableCodeAndSaysSoAtError() {
        CryptoBackend.State s = AccpLoader.load(CryptoBackend.Choice.ACCP, null, UNLOADABLE, log);
        assertNull(s.provider());
        assertTrue(s.description().startsWith("portable (ACCP (AWS-LC) could not load: java.lang.UnsatisfiedLinkError"), s.description());
        assertTrue(s.description().contains("JHSM_CRYPTO=accp asked for it"), s.description());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("ERROR crypto backend: ACCP (AWS-LC) could not load"), lines.get(0));
    }

    @Test
    void anAutomaticChoiceThatCannotLoadWarnsOnce() {
        CryptoBackend.State s = AccpLoader.load(CryptoBackend.Choice.AUTO, null, UNLOADABLE, log);
        assertNull(s.provider());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("WARN crypto backend: ACCP (AWS-LC) could not load"), lines.get(0));
    }

    /** A host JVM on JDK 24+ without native access for jhsm: no load attempted (no JDK warning), one INFO line. */
    @Test
    void withoutNativeAccessAccpIsNotEvenTriedAndOnlyAnInfoLineSaysWhy() {
        CryptoBackend.State s = AccpLoader.load(CryptoBackend.Choice.AUTO, "native access is not enabled for jhsm's unnamed module", MUST_NOT_LOAD, log);
        assertNull(s.provider());
        assertTrue(s.description().contains("native access is not enabled"), s.description());
        assertEquals(List.of("INFO crypto backend: ACCP (AWS-LC) not loaded: native access is not enabled for jhsm's unnamed module;"
                + " the portable Bouncy Castle/JDK code runs instead"), lines);
    }

    /** JHSM_CRYPTO=accp in such a host: still no load (the JDK's warning would land in the host's output), but an ERROR line. */
    @Test
    void aForcedAccpWithoutNativeAccessSaysSoAtError() {
        CryptoBackend.State s = AccpLoader.load(CryptoBackend.Choice.ACCP, "native access is not enabled for jhsm's unnamed module", MUST_NOT_LOAD, log);
        assertNull(s.provider());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("ERROR crypto backend: ACCP (AWS-LC) not loaded: native access"), lines.get(0));
        assertTrue(lines.get(0).endsWith("(JHSM_CRYPTO=accp asked for it)"), lines.get(0));
    }

    @Test
    void portableNeverTouchesAccp() {
        CryptoBackend.State s = AccpLoader.load(CryptoBackend.Choice.PORTABLE, null, MUST_NOT_LOAD, log);
        assertNull(s.provider());
        assertTrue(s.description().startsWith("portable"));
        assertEquals(List.of("INFO crypto backend: " + s.description() + " runs the heavy primitives"), lines);
    }

    @Test
    void aLoadedProviderIsUsedAndNamedWithItsVersion() {
        Provider accp = Accp.provider();
        CryptoBackend.State s = AccpLoader.load(CryptoBackend.Choice.AUTO, null, () -> accp, log);
        assertSame(accp, s.provider());
        assertTrue(s.description().matches("accp 2\\.\\d+(\\.\\d+)? \\(AWS-LC v?\\d.*\\)"), s.description());
        assertEquals(List.of("INFO crypto backend: " + s.description() + " runs the heavy primitives"), lines);
    }

    /** Module.isNativeAccessEnabled exists from JDK 22; before it there is nothing to refuse. */
    @Test
    void nativeAccessIsOnlyQuestionedWhereTheJdkHasIt() {
        assumeTrue(Runtime.version().feature() < 22, "this JVM has Module.isNativeAccessEnabled");
        assertNull(AccpLoader.nativeAccessRefused(getClass().getModule()));
    }
}
