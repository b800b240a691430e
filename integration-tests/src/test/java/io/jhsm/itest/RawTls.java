package io.jhsm.itest;

import io.jhsm.client.ClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS connections to a node that a hostile client holds itself: handshake done (TLS 1.3, ALPN h2), then
 * whatever bytes it likes, or nothing at all. It trusts any server: it is the attacker, not a client.
 */
final class RawTls {
    /** What an HTTP/2 client sends first: the preface and an empty SETTINGS frame. */
    static final byte[] HTTP2_PREFACE_AND_SETTINGS = concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 0, 0, 0x4, 0, 0, 0, 0, 0});

    private RawTls() {}

    static SSLSocket connect(ClientConfig.HostAndPort at) throws IOException {
        SSLSocket s = (SSLSocket) context().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress(at.host(), at.port()), 10_000);
        s.setSoTimeout(15_000);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3"});
        p.setApplicationProtocols(new String[] {"h2"});
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /**
     * True when the peer closed the connection (EOF or reset) within the socket's timeout, reading and
     * discarding whatever it sent first (a GOAWAY, say); false when it kept it open.
     */
    static boolean closedByPeer(SSLSocket s) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = s.getInputStream();
            while (in.read(buf) >= 0) {
                // the node's last words
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static SSLContext context() throws IOException {
        try {
            SSLContext c = SSLContext.getInstance("TLSv1.3");
            c.init(null, new TrustManager[] {new TrustAnything()}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static final class TrustAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
