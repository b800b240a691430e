package io.jhsm.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Turns a failed connection (a gRPC status and its causes) into one line that says what to do. */
final class TlsFailures {
    private TlsFailures() {}

    /** Whether TLS itself refused (a certificate, or mutual TLS): trying again will not help. */
    static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof HsmTrustManager.HsmTlsException || m.contains("certificate_required") || m.contains("bad_certificate")
                    || m.contains("unknown_ca") || m.contains("certificate_unknown") || m.contains("certificate_expired")) {
                return true;
            }
        }
        return false;
    }

    static String explain(ClientConfig config, ClientConfig.HostAndPort hsm, Throwable failure) {
        String prefix = "HSM " + hsm + ": ";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HsmTrustManager.HsmTlsException) {
                return t.getMessage();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains(("hsm " + hsm + ": ").toLowerCase(Locale.ROOT))) {
                return t.getMessage().substring(m.indexOf("hsm " + hsm.toString().toLowerCase(Locale.ROOT)));
            }
            boolean refusedCertificate = m.contains("bad_certificate") || m.contains("unknown_ca")
                    || m.contains("certificate_unknown") || m.contains("certificate_expired");
            // The JDK's server answers a missing certificate with bad_certificate, others with certificate_required.
            if (m.contains("certificate_required") || refusedCertificate && config.clientCert() == null) {
                return prefix + "refused the connection: mutual TLS is enforced and this client presented no certificate"
                        + " (set client-cert and client-key to a certificate issued by a CA registered with"
                        + " jhsm cluster mtls register-trust-anchor)";
            }
            if (refusedCertificate) {
                return prefix + "refused the client certificate " + config.clientCert() + ": it is not issued by a trust anchor"
                        + " registered with jhsm cluster mtls register-trust-anchor, or it is expired";
            }
            if (m.contains("not an ssl/tls record") || m.contains("unrecognized ssl message") || m.contains("unsupported or unrecognized")
                    || m.contains("remote host terminated the handshake")) {
                return prefix + "no TLS answer on that port: it is not a jhsm HSM port (jhsm hsm serve listens on 2223 by default)";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return prefix + "connection refused (is jhsm hsm serve running there? " + t.getMessage() + ")";
            }
            if (t instanceof UnknownHostException) {
                return prefix + "unknown host (check hsms in JHSM_CONF)";
            }
        }
        if (failure instanceof StatusRuntimeException s) {
            Status st = s.getStatus();
            if (st.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                return prefix + "no answer within " + config.connectTimeout().toMillis() + " ms (connect-timeout-ms):"
                        + " the HSM is down, unreachable or not speaking TLS on that port";
            }
            if (st.getCode() == Status.Code.UNAVAILABLE) {
                return prefix + "connection lost or closed before TLS completed (" + describe(s) + "): the HSM stopped,"
                        + " refused the connection (at its limit of connections?) or the port is not a jhsm HSM port";
            }
            return prefix + describe(s);
        }
        return prefix + failure;
    }

    /** The status in one line: gRPC's descriptions may go on with a second line (Netty's pipeline, say). */
    private static String describe(StatusRuntimeException s) {
        Status st = s.getStatus();
        String cause = st.getCause() == null ? "" : "; " + firstLine(st.getCause().getMessage() != null
                ? st.getCause().getMessage() : st.getCause().getClass().getSimpleName());
        return st.getCode() + (st.getDescription() != null ? " " + firstLine(st.getDescription()) : "") + cause;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
