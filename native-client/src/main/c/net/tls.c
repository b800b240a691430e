/*
 * TLS to the HSMs as HsmChannels sets it up: TLS 1.3 only, ALPN h2, the HSM's chain verified (PKIX) against
 * hsm-ca-cert and deliberately not its host name (HsmTrustManager: every HSM of the cluster carries a certificate
 * signed by the customer's CA, whatever address the client reaches it at), the client certificate for mTLS.
 * Refusals become one line in TlsFailures' words.
 */
#include "jc_net_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

static const unsigned char ALPN[] = {2, 'h', '2'};

static void openssl_reason(char *buf, size_t n) {
    unsigned long e = ERR_peek_last_error();
    if (e) ERR_error_string_n(e, buf, n); else snprintf(buf, n, "no detail");
    ERR_clear_error();
}

SSL_CTX *jc_tls_context(const jc_conf *c) {
    char why[300];
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        openssl_reason(why, sizeof why);
        jc_log_problem("CKR_GENERAL_ERROR", "cannot set up TLS (OpenSSL: %s)", why);
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_alpn_protos(ctx, ALPN, sizeof ALPN);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (SSL_CTX_load_verify_locations(ctx, c->ca_cert, NULL) != 1) {
        openssl_reason(why, sizeof why);
        jc_log_problem("CKR_GENERAL_ERROR", "JHSM_CONF %s: cannot read hsm-ca-cert %s as PEM X.509 certificates (%s); "
                       "set it to the CA that signed the cluster's HSM certificates", c->file, c->ca_cert, why);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (c->client_cert) {
        if (SSL_CTX_use_certificate_chain_file(ctx, c->client_cert) != 1
            || SSL_CTX_use_PrivateKey_file(ctx, c->client_key, SSL_FILETYPE_PEM) != 1
            || SSL_CTX_check_private_key(ctx) != 1) {
            openssl_reason(why, sizeof why);
            jc_log_problem("CKR_GENERAL_ERROR", "JHSM_CONF %s: client-cert %s / client-key %s: %s (client-key must be "
                           "an unencrypted PKCS#8 PEM key matching the certificate)", c->file, c->client_cert,
                           c->client_key, why);
            SSL_CTX_free(ctx);
            return NULL;
        }
    }
    return ctx;
}

static int contains(const char *hay, const char *needle) {
    return strstr(hay, needle) != NULL;
}

int jc_tls_explain(const jc_conf *c, const char *hsm, SSL *ssl, int ssl_error, int sys_errno, char *why, size_t n) {
    long verify = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    char detail[300] = "";
    unsigned long e = ERR_peek_last_error();
    if (e) ERR_error_string_n(e, detail, sizeof detail);
    ERR_clear_error();
    if (ssl && verify != X509_V_OK) {
        X509 *peer = SSL_get1_peer_certificate(ssl);
        char subject[220] = "";
        if (peer) { /* OpenSSL may not keep a chain it refused */
            strcpy(subject, " ");
            X509_NAME_oneline(X509_get_subject_name(peer), subject + 1, sizeof subject - 1);
            X509_free(peer);
        }
        const char *what = X509_verify_cert_error_string(verify);
        if (verify == X509_V_ERR_CERT_HAS_EXPIRED) {
            snprintf(why, n, "HSM %s: certificate%s expired (renew it: sign a new HSM certificate with the cluster's CA)",
                     hsm, subject);
        } else if (verify == X509_V_ERR_CERT_NOT_YET_VALID) {
            snprintf(why, n, "HSM %s: certificate%s is not valid yet (check the clocks of this host and of the CA that "
                     "signed it)", hsm, subject);
        } else {
            snprintf(why, n, "HSM %s: certificate not issued by the trust anchor in hsm-ca-cert %s (HSM certificate%s: "
                     "%s; set hsm-ca-cert to the CA that signed the cluster's HSM certificate)", hsm, c->ca_cert,
                     subject, what);
        }
        return 1;
    }
    int refused_cert = contains(detail, "bad certificate") || contains(detail, "unknown ca")
                       || contains(detail, "certificate unknown") || contains(detail, "certificate expired");
    if (contains(detail, "certificate required") || (refused_cert && !c->client_cert)) {
        snprintf(why, n, "HSM %s: refused the connection: mutual TLS is enforced and this client presented no certificate "
                 "(set client-cert and client-key to a certificate issued by a CA registered with jhsm cluster mtls "
                 "register-trust-anchor)", hsm);
        return 1;
    }
    if (refused_cert) {
        snprintf(why, n, "HSM %s: refused the client certificate %s: it is not issued by a trust anchor registered with "
                 "jhsm cluster mtls register-trust-anchor, or it is expired", hsm, c->client_cert);
        return 1;
    }
    if (contains(detail, "wrong version number") || contains(detail, "packet length too long")
        || contains(detail, "record layer failure") || contains(detail, "unexpected message")
        || contains(detail, "no application protocol")) {
        snprintf(why, n, "HSM %s: no TLS answer on that port: it is not a jhsm HSM port (jhsm hsm serve listens on 2223 "
                 "by default)", hsm);
        return 0;
    }
    if (ssl_error == SSL_ERROR_SYSCALL || ssl_error == SSL_ERROR_ZERO_RETURN || sys_errno) {
        snprintf(why, n, "HSM %s: connection lost or closed before TLS completed (%s): the HSM stopped, refused the "
                 "connection (at its limit of connections?) or the port is not a jhsm HSM port", hsm,
                 sys_errno ? strerror(sys_errno) : "end of stream");
        return 0;
    }
    snprintf(why, n, "HSM %s: TLS failed (%s)", hsm, detail[0] ? detail : "no detail");
    return 0;
}
