package io.jhsm.cli;

import io.jhsm.engine.mechanism.CryptoBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * jhsm's version, the JVM, and which code runs the heavy cryptography (issue 16): ACCP (AWS-LC) with its version,
 * or the portable code and why. Naming the backend loads it, so this takes a few hundred ms more than --version.
 */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print jhsm's version, its JVM and its crypto backend.")
final class VersionCommand extends Ctx.Aware implements Runnable {
    @Option(names = "--json", description = "Print {\"error_code\":0,\"data\":{\"version\":...,\"jvm\":...,\"crypto_backend\":...}}.")
    boolean json;

    @Override
    public void run() {
        if (!json) {
            ctx().out().println(new Main.VersionInfo().getVersion()[0]);
            ctx().out().println("crypto backend: " + CryptoBackend.describe());
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", Main.VersionInfo.version());
        data.put("jvm", System.getProperty("java.vm.vendor") + " " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
        data.put("crypto_backend", CryptoBackend.describe());
        ctx().print(true, data);
    }
}
