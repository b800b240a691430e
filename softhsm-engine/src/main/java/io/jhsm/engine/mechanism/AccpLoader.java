package io.jhsm.engine.mechanism;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.jhsm.engine.diag.ProblemLog;

/** Loads ACCP once for {@link CryptoBackend}, or says in one log line why the portable code runs instead. */
final class AccpLoader {
    private AccpLoader() {}

    static CryptoBackend.State load(CryptoBackend.Choice choice) {
        if (choice == CryptoBackend.Choice.PORTABLE) {
            return new CryptoBackend.State(null, "portable (Bouncy Castle and the JDK; " + CryptoBackend.ENV + "=portable)");
        }
        String why;
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error == null) {
                return new CryptoBackend.State(accp, "accp " + accp.getVersionStr() + " (" + accp.getAwsLcVersionStr() + ")");
            }
            why = error.toString();
        } catch (LinkageError | RuntimeException e) {
            why = e.toString();
        }
        String line = "ACCP (AWS-LC) could not load: " + why + "; the portable Bouncy Castle/JDK code runs instead, correct but slower"
                + (choice == CryptoBackend.Choice.ACCP ? " (" + CryptoBackend.ENV + "=accp asked for it)" : "");
        ProblemLog.get().log(choice == CryptoBackend.Choice.ACCP ? ProblemLog.Level.ERROR : ProblemLog.Level.WARN, "crypto backend", line);
        return new CryptoBackend.State(null, "portable (" + line + ")");
    }
}
