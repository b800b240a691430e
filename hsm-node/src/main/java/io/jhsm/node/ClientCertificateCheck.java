package io.jhsm.node;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a client's certificate (mutual TLS under {@code cluster mtls set-enforcement --level cluster})
 * against the client trust anchors registered in the cluster's state, as they are at this handshake: the
 * JDK's PKIX trust manager over those anchors, rebuilt when the registered set changes. A refusal leaves
 * one line in the node's log.
 */
final class ClientCertificateCheck extends X509ExtendedTrustManager {
    private record Anchors(Map<String, String> pems, X509ExtendedTrustManager pkix) {}

    private final ClusterView cluster;
    private final NodeLog log;
    private volatile Anchors anchors;

    ClientCertificateCheck(ClusterView cluster, NodeLog log) {
        this.cluster = cluster;
        this.log = log;
    }

    private Anchors anchors() {
        Map<String, String> pems = cluster.clientAnchors();
        Anchors a = anchors;
        if (a != null && a.pems().equals(pems)) {
            return a;
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (Map.Entry<String, String> e : pems.entrySet()) {
                ks.setCertificateEntry("anchor-" + e.getKey(), NodeIdentity.parse(e.getValue()));
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            X509ExtendedTrustManager pkix = null;
            for (TrustManager t : f.getTrustManagers()) {
                if (t instanceof X509ExtendedTrustManager x) {
                    pkix = x;
                }
            }
            a = new Anchors(pems, pkix);
            anchors = a;
            return a;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the registered client trust anchors cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        Anchors a = anchors();
        try {
            if (a.pems().isEmpty()) {
                throw new CertificateException("no client trust anchor is registered");
            }
            a.pkix().checkClientTrusted(chain, authType, engine);
        } catch (CertificateException | RuntimeException e) {
            // The engine knows no peer address here (Netty makes server engines without one).
            X509Certificate leaf = chain != null && chain.length > 0 ? chain[0] : null;
            log.line("refused a client: its certificate " + (leaf == null ? "(none)" : leaf.getSubjectX500Principal().getName()
                    + " (issuer " + leaf.getIssuerX500Principal().getName() + ")") + " is not issued by a registered client"
                    + " trust anchor, or is not valid now");
            throw e instanceof CertificateException c ? c : new CertificateException(e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkClientTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the node verifies clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    /**
     * Names no issuer in the certificate request, so a client sends its certificate even when it is from
     * another CA: the refusal then names that certificate in the node's log instead of an empty chain.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
