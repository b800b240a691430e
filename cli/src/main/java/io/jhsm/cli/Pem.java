package io.jhsm.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** What the CLI's small CAs (the quick-start customer CA, the cluster's peer CA) share: PEM text, serials, validity. */
final class Pem {
    static final Duration VALIDITY = Duration.ofDays(3652);

    private Pem() {}

    static String of(Object o) {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }

    static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    /** An hour back, so a clock a little behind still accepts a certificate made now. */
    static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    static Date notAfter() {
        return Date.from(Instant.now().plus(VALIDITY));
    }
}
