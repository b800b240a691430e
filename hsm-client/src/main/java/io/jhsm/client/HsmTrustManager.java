package io.jhsm.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies an HSM's certificate chain against the cluster's trust anchor ({@code hsm-ca-cert}) with
 * PKIX, and deliberately not its host name: the HSM certificate names the cluster and partition
 * (CN=HSM:&lt;cluster-id&gt;:PARTN:0, from the cluster CSR), not an address, and CloudHSM's own client
 * likewise trusts any HSM whose chain ends at the customer CA (AWS CloudHSM user guide, "Client SDK 5
 * configure tool parameters": the HSM CA certificate is what verifies the HSMs). A refusal carries one
 * line saying which HSM and why, which {@link HsmChannels#explain} finds again in the failed call.
 */
final class HsmTrustManager extends X509ExtendedTrustManager {
    private final ClientConfig.HostAndPort hsm;
    private final Path anchorFile;
    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> anchorCerts;

    HsmTrustManager(ClientConfig.HostAndPort hsm, Path anchorFile) {
        this.hsm = hsm;
        this.anchorFile = anchorFile;
        this.anchorCerts = readCertificates(anchorFile, "hsm-ca-cert");
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : anchorCerts) {
            a.add(new TrustAnchor(c, null));
        }
        this.anchors = a;
    }

    /** The certificates of a PEM (or DER) file; a clear refusal when there are none. */
    static List<X509Certificate> readCertificates(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalStateException(what + " " + file + " holds no certificate");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalStateException(what + " " + file + " is not a PEM X.509 certificate: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refusal("presented no certificate");
        }
        for (X509Certificate c : chain) {
            try {
                c.checkValidity();
            } catch (CertificateExpiredException e) {
                throw refusal("certificate " + c.getSubjectX500Principal().getName() + " expired on " + c.getNotAfter().toInstant()
                        + " (renew it: sign a new HSM certificate with the cluster's CA)");
            } catch (CertificateNotYetValidException e) {
                throw refusal("certificate " + c.getSubjectX500Principal().getName() + " is not valid before "
                        + c.getNotBefore().toInstant() + " (check the clocks of this host and of the CA that signed it)");
            }
        }
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        path.removeIf(anchorCerts::contains);
        if (path.isEmpty()) {
            return; // the HSM presented the anchor itself (its bootstrap certificate, trusted as such)
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (CertPathValidatorException e) {
            throw refusal("certificate not issued by the trust anchor in hsm-ca-cert " + anchorFile + " (HSM certificate "
                    + chain[0].getSubjectX500Principal().getName() + ", issuer " + chain[0].getIssuerX500Principal().getName()
                    + "; set hsm-ca-cert to the CA that signed the cluster's HSM certificate)");
        } catch (GeneralSecurityException e) {
            throw refusal("certificate chain could not be checked: " + e.getMessage());
        }
    }

    private CertificateException refusal(String why) {
        return new HsmTlsException("HSM " + hsm + ": " + why);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType); // no host-name check: see the class comment
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return anchorCerts.toArray(new X509Certificate[0]);
    }

    /** A refused HSM certificate, its message already the one line to log. */
    static final class HsmTlsException extends CertificateException {
        HsmTlsException(String message) {
            super(message);
        }
    }
}
