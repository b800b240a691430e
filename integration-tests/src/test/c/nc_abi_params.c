/*
 * nc_abi's mechanism-parameter cases: each parameter struct crosses the native client to the node, and each result
 * is checked with OpenSSL's libcrypto (keys whose values the test knows, or public keys read back):
 *   gcm          CKM_AES_GCM on a cloudhsm token: the HSM's IV written into the caller's pIv by C_EncryptInit
 *   message-gcm  C_EncryptMessage's generated IV and tag copied back into CK_GCM_MESSAGE_PARAMS
 *   rsa          SHA256-RSA-PKCS and PSS signatures verified, OAEP ciphertext from OpenSSL decrypted
 *   ec           ECDSA verified; ECDH1 derive equal to OpenSSL's shared secret
 *   kdf          HKDF and SP 800-108 counter KDF (an additional derived key's handle written back) equal to OpenSSL's
 */
#include "nc_abi.h"
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <string.h>

static const CK_BYTE KEY[32] = "0123456789abcdef0123456789abcdef";
static const CK_BYTE TEXT[] = "the native client's parameter structs";
#define TEXT_LEN (sizeof TEXT - 1)
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

/* AES-256-GCM decryption by OpenSSL: 1 when ct/tag authenticate under iv and aad and give `want`. */
static int openssl_gcm_gives(const CK_BYTE *iv, int iv_len, const CK_BYTE *aad, int aad_len, const CK_BYTE *ct,
                             int ct_len, const CK_BYTE *tag, const CK_BYTE *want, int want_len) {
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    unsigned char out[256];
    int n = 0, m = 0;
    int ok = EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL)
             && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, iv_len, NULL)
             && EVP_DecryptInit_ex(c, NULL, NULL, KEY, iv) && EVP_DecryptUpdate(c, NULL, &n, aad, aad_len)
             && EVP_DecryptUpdate(c, out, &n, ct, ct_len) && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, (void *) tag)
             && EVP_DecryptFinal_ex(c, out + n, &m);
    EVP_CIPHER_CTX_free(c);
    return ok && n + m == want_len && memcmp(out, want, want_len) == 0;
}

static int openssl_gcm_opens(const CK_BYTE *iv, int iv_len, const CK_BYTE *aad, int aad_len, const CK_BYTE *ct,
                             int ct_len, const CK_BYTE *tag) {
    return openssl_gcm_gives(iv, iv_len, aad, aad_len, ct, ct_len, tag, TEXT, TEXT_LEN);
}

static void gcm(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_OBJECT_HANDLE k = nc_aes_key(s, KEY, 32);
    CK_BYTE iv[12] = {0}, aad[] = "header", out[256];
    CK_GCM_PARAMS p = {iv, sizeof iv, 96, aad, 6, 128};
    CK_MECHANISM m = {CKM_AES_GCM, &p, sizeof p};
    CHECK_RV(f->C_EncryptInit(s, &m, k), CKR_OK);
    static const CK_BYTE zero[12];
    check(memcmp(iv, zero, 12) != 0, "C_EncryptInit(CKM_AES_GCM)", "the HSM's IV is in the caller's pIv");
    CK_ULONG len = sizeof out;
    CHECK_RV(f->C_Encrypt(s, (CK_BYTE *) TEXT, TEXT_LEN, out, &len), CKR_OK);
    check(len == TEXT_LEN + 16 && openssl_gcm_opens(iv, 12, aad, 6, out, TEXT_LEN, out + TEXT_LEN), "AES-GCM",
          "OpenSSL opens the ciphertext with the written-back IV");
    /* C_WrapKey too: a key of known value wrapped with AES-GCM, the IV written back with the wrapped bytes. */
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    static const CK_BYTE VALUE[16] = "wrapped key 16 b";
    CK_ATTRIBUTE wt[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}, {CKA_VALUE, (void *) KEY, 32},
                         {CKA_WRAP, &yes, 1}};
    CK_ATTRIBUTE tt[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt},
                         {CKA_VALUE, (void *) VALUE, 16}, {CKA_EXTRACTABLE, &yes, 1}};
    CK_OBJECT_HANDLE wk = 0, target = 0;
    CHECK_RV(f->C_CreateObject(s, wt, 4, &wk), CKR_OK);
    CHECK_RV(f->C_CreateObject(s, tt, 4, &target), CKR_OK);
    memset(iv, 0, sizeof iv);
    p.ulAADLen = 0;
    len = sizeof out;
    CHECK_RV(f->C_WrapKey(s, &m, wk, target, out, &len), CKR_OK);
    check(memcmp(iv, zero, 12) != 0, "C_WrapKey(CKM_AES_GCM)", "the HSM's IV is in the caller's pIv");
    check(len == 32 && openssl_gcm_gives(iv, 12, aad, 0, out, 16, out + 16, VALUE, 16), "C_WrapKey(CKM_AES_GCM)",
          "OpenSSL unwraps the key with the written-back IV (%lu bytes)", len);
    CK_MECHANISM bad = {CKM_AES_GCM, &p, sizeof p - 1};
    CHECK_RV(f->C_EncryptInit(s, &bad, k), CKR_MECHANISM_PARAM_INVALID);
    CK_MECHANISM null_param = {CKM_AES_GCM, NULL, 8};
    CHECK_RV(f->C_EncryptInit(s, &null_param, k), CKR_MECHANISM_PARAM_INVALID);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

static void message_gcm(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_OBJECT_HANDLE k = nc_aes_key(s, KEY, 32);
    CK_RV (*init)(CK_SESSION_HANDLE, CK_MECHANISM *, CK_OBJECT_HANDLE) = f3->fn[NC_MESSAGE_ENCRYPT_INIT];
    CK_RV (*encrypt)(CK_SESSION_HANDLE, void *, CK_ULONG, CK_BYTE *, CK_ULONG, const CK_BYTE *, CK_ULONG, CK_BYTE *,
                     CK_ULONG *) = f3->fn[NC_ENCRYPT_MESSAGE];
    CK_RV (*final)(CK_SESSION_HANDLE) = f3->fn[NC_MESSAGE_ENCRYPT_FINAL];
    CK_MECHANISM m = {CKM_AES_GCM, NULL, 0};
    CK_BYTE iv[12] = {0xCA, 0xFE}, tag[16] = {0}, aad[] = "header", out[256];
    NC_GCM_MESSAGE_PARAMS p = {iv, 12, 16, NC_CKG_GENERATE_RANDOM, tag, 128};
    CHECK_RV(init(s, &m, k), CKR_OK);
    CK_ULONG len = 0;
    CHECK_RV(encrypt(s, &p, sizeof p, aad, 6, TEXT, TEXT_LEN, NULL, &len), CKR_OK);
    check(len == TEXT_LEN, "C_EncryptMessage(NULL)", "length %lu", len);
    len = sizeof out;
    CHECK_RV(encrypt(s, &p, sizeof p, aad, 6, TEXT, TEXT_LEN, out, &len), CKR_OK);
    static const CK_BYTE zero[16];
    check(iv[0] == 0xCA && iv[1] == 0xFE && memcmp(iv + 2, zero, 10) != 0, "CK_GCM_MESSAGE_PARAMS.pIv",
          "the fixed part kept, the rest generated and copied back");
    check(memcmp(tag, zero, 16) != 0, "CK_GCM_MESSAGE_PARAMS.pTag", "the tag copied back");
    check(len == TEXT_LEN && openssl_gcm_opens(iv, 12, aad, 6, out, (int) len, tag), "C_EncryptMessage",
          "OpenSSL opens the message with the copied-back IV and tag");
    CHECK_RV(encrypt(s, NULL, sizeof p, aad, 6, TEXT, TEXT_LEN, out, &len), CKR_ARGUMENTS_BAD);
    CHECK_RV(final(s), CKR_OK);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

/* ---- public keys read back from the HSM, as OpenSSL keys */

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *b) {
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(b);
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    EVP_PKEY *k = NULL;
    if (!c || EVP_PKEY_fromdata_init(c) <= 0 || EVP_PKEY_fromdata(c, &k, EVP_PKEY_PUBLIC_KEY, params) <= 0) k = NULL;
    EVP_PKEY_CTX_free(c);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(b);
    return k;
}

static EVP_PKEY *rsa_public(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE pub) {
    CK_BYTE n[512], e[8];
    CK_ULONG nl = nc_attr(s, pub, CKA_MODULUS, n, sizeof n), el = nc_attr(s, pub, CKA_PUBLIC_EXPONENT, e, sizeof e);
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
    BIGNUM *bn = BN_bin2bn(n, (int) nl, NULL), *be = BN_bin2bn(e, (int) el, NULL);
    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn);
    OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, be);
    EVP_PKEY *k = from_params("RSA", b);
    BN_free(bn);
    BN_free(be);
    return k;
}

/* CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (65 bytes for P-256). */
static EVP_PKEY *ec_public(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE pub, CK_BYTE point[65]) {
    CK_BYTE der[80];
    CK_ULONG len = nc_attr(s, pub, CKA_EC_POINT, der, sizeof der);
    check(len == 67 && der[0] == 0x04 && der[1] == 65, "CKA_EC_POINT", "DER of a P-256 point, %lu bytes", len);
    memcpy(point, der + 2, 65);
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point, 65);
    return from_params("EC", b);
}

static int openssl_verifies(EVP_PKEY *k, const CK_BYTE *sig, size_t sig_len, int pss) {
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    int ok = k && EVP_DigestVerifyInit(c, &pc, EVP_sha256(), NULL, k) > 0;
    if (ok && pss) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 && EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, 32) > 0
             && EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha256()) > 0;
    }
    ok = ok && EVP_DigestVerify(c, sig, sig_len, TEXT, TEXT_LEN) == 1;
    EVP_MD_CTX_free(c);
    return ok;
}

static void key_pair(CK_SESSION_HANDLE s, CK_MECHANISM *gen, CK_ATTRIBUTE *pub, CK_ULONG npub, CK_OBJECT_HANDLE *hp,
                     CK_OBJECT_HANDLE *hv) {
    CK_ATTRIBUTE priv[] = {{CKA_SIGN, &yes, 1}, {CKA_DECRYPT, &yes, 1}, {CKA_DERIVE, &yes, 1}, {CKA_SENSITIVE, &yes, 1}};
    CHECK_RV(f->C_GenerateKeyPair(s, gen, pub, npub, priv, gen->mechanism == CKM_RSA_PKCS_KEY_PAIR_GEN ? 3 : 4, hp, hv),
             CKR_OK);
}

static CK_ULONG sign(CK_SESSION_HANDLE s, CK_MECHANISM_TYPE type, void *param, CK_ULONG plen, CK_OBJECT_HANDLE k,
                     CK_BYTE *sig) {
    CK_MECHANISM m = {type, param, plen};
    CK_ULONG len = 512;
    CHECK_RV(f->C_SignInit(s, &m, k), CKR_OK);
    CHECK_RV(f->C_Sign(s, (CK_BYTE *) TEXT, TEXT_LEN, sig, &len), CKR_OK);
    return len;
}

static void rsa(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_ULONG bits = 2048;
    CK_BYTE e[] = {1, 0, 1}, sig[512], ct[512], pt[512];
    CK_ATTRIBUTE pub[] = {{CKA_MODULUS_BITS, &bits, sizeof bits}, {CKA_PUBLIC_EXPONENT, e, 3}, {CKA_VERIFY, &yes, 1},
                          {CKA_ENCRYPT, &yes, 1}};
    CK_MECHANISM gen = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE hp = 0, hv = 0;
    key_pair(s, &gen, pub, 4, &hp, &hv);
    EVP_PKEY *k = rsa_public(s, hp);
    CK_ULONG len = sign(s, CKM_SHA256_RSA_PKCS, NULL, 0, hv, sig);
    check(openssl_verifies(k, sig, len, 0), "SHA256-RSA-PKCS", "OpenSSL verifies the signature");
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    len = sign(s, CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof pss, hv, sig);
    check(openssl_verifies(k, sig, len, 1), "SHA256-RSA-PKCS-PSS", "OpenSSL verifies the PSS signature");
    /* OAEP: OpenSSL encrypts with SHA-256 and a label, the HSM decrypts with the same CK_RSA_PKCS_OAEP_PARAMS. */
    CK_BYTE label[] = "label";
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(k, NULL);
    size_t ct_len = sizeof ct;
    unsigned char *l = OPENSSL_memdup(label, 5);
    int ok = c && EVP_PKEY_encrypt_init(c) > 0 && EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) > 0
             && EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) > 0 && EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) > 0
             && EVP_PKEY_CTX_set0_rsa_oaep_label(c, l, 5) > 0 && EVP_PKEY_encrypt(c, ct, &ct_len, TEXT, TEXT_LEN) > 0;
    check(ok, "OpenSSL OAEP", "encrypts");
    EVP_PKEY_CTX_free(c);
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, label, 5};
    CK_MECHANISM m = {CKM_RSA_PKCS_OAEP, &oaep, sizeof oaep};
    CHECK_RV(f->C_DecryptInit(s, &m, hv), CKR_OK);
    len = sizeof pt;
    CHECK_RV(f->C_Decrypt(s, ct, ct_len, pt, &len), CKR_OK);
    check(len == TEXT_LEN && memcmp(pt, TEXT, len) == 0, "CKM_RSA_PKCS_OAEP", "the HSM decrypts OpenSSL's ciphertext");
    EVP_PKEY_free(k);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

/* ECDSA's r||s as the DER OpenSSL verifies. */
static size_t ecdsa_der(const CK_BYTE *rs, CK_BYTE *der) {
    ECDSA_SIG *sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(rs, 32, NULL), BN_bin2bn(rs + 32, 32, NULL));
    unsigned char *p = der;
    size_t n = (size_t) i2d_ECDSA_SIG(sig, &p);
    ECDSA_SIG_free(sig);
    return n;
}

/* A GENERIC_SECRET the HSM derives, readable so the test can compare it. */
#define READABLE_SECRET(len_var) \
    {CKA_CLASS, &secret_class, sizeof secret_class}, {CKA_KEY_TYPE, &generic, sizeof generic}, \
    {CKA_VALUE_LEN, &len_var, sizeof len_var}, {CKA_SENSITIVE, &no, 1}, {CKA_EXTRACTABLE, &yes, 1}
static CK_OBJECT_CLASS secret_class = CKO_SECRET_KEY;
static CK_KEY_TYPE generic = CKK_GENERIC_SECRET;

static void ec(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, sig[512], der[80], point[65];
    CK_ATTRIBUTE pub[] = {{CKA_EC_PARAMS, p256, sizeof p256}, {CKA_VERIFY, &yes, 1}};
    CK_MECHANISM gen = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE hp = 0, hv = 0;
    key_pair(s, &gen, pub, 2, &hp, &hv);
    EVP_PKEY *k = ec_public(s, hp, point);
    CK_ULONG len = sign(s, CKM_ECDSA_SHA256, NULL, 0, hv, sig);
    check(len == 64 && openssl_verifies(k, der, ecdsa_der(sig, der), 0), "CKM_ECDSA_SHA256", "OpenSSL verifies");
    /* ECDH1 with CKD_NULL against a peer key of OpenSSL's: the same 32-byte secret on both sides. */
    EVP_PKEY *peer = EVP_EC_gen("prime256v1");
    CK_BYTE peer_point[65], mine[32], theirs[32];
    size_t pl = sizeof peer_point, tl = sizeof theirs;
    EVP_PKEY_get_octet_string_param(peer, OSSL_PKEY_PARAM_PUB_KEY, peer_point, sizeof peer_point, &pl);
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(peer, NULL);
    check(c && EVP_PKEY_derive_init(c) > 0 && EVP_PKEY_derive_set_peer(c, k) > 0 && EVP_PKEY_derive(c, theirs, &tl) > 0,
          "OpenSSL ECDH", "derives");
    CK_ECDH1_DERIVE_PARAMS p = {CKD_NULL, 0, NULL, 65, peer_point};
    CK_MECHANISM m = {CKM_ECDH1_DERIVE, &p, sizeof p};
    CK_ULONG vlen = 32;
    CK_ATTRIBUTE t[] = {READABLE_SECRET(vlen)};
    CK_OBJECT_HANDLE d = 0;
    CHECK_RV(f->C_DeriveKey(s, &m, hv, t, 5, &d), CKR_OK);
    check(nc_attr(s, d, CKA_VALUE, mine, 32) == 32 && memcmp(mine, theirs, 32) == 0, "CKM_ECDH1_DERIVE",
          "the HSM's secret is OpenSSL's");
    EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(peer);
    EVP_PKEY_free(k);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

static CK_OBJECT_HANDLE base_secret(CK_SESSION_HANDLE s) {
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &secret_class, sizeof secret_class}, {CKA_KEY_TYPE, &generic, sizeof generic},
                        {CKA_VALUE, (void *) KEY, 32}, {CKA_DERIVE, &yes, 1}};
    CK_OBJECT_HANDLE k = 0;
    CHECK_RV(f->C_CreateObject(s, t, 4, &k), CKR_OK);
    return k;
}

static void kdf(const char *pin) {
    CK_SESSION_HANDLE s = nc_login(pin);
    CK_OBJECT_HANDLE base = base_secret(s);
    CK_BYTE salt[] = "salt", info[] = "info", mine[64], theirs[64];
    NC_HKDF_PARAMS h = {CK_TRUE, CK_TRUE, CKM_SHA256, NC_CKF_HKDF_SALT_DATA, salt, 4, 0, info, 4};
    CK_MECHANISM m = {NC_CKM_HKDF_DERIVE, &h, sizeof h};
    CK_ULONG vlen = 42, klen = 16;
    CK_ATTRIBUTE t[] = {READABLE_SECRET(vlen)};
    CK_OBJECT_HANDLE d = 0;
    CHECK_RV(f->C_DeriveKey(s, &m, base, t, 5, &d), CKR_OK);
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    size_t n = 42;
    check(c && EVP_PKEY_derive_init(c) > 0 && EVP_PKEY_CTX_set_hkdf_md(c, EVP_sha256()) > 0
              && EVP_PKEY_CTX_set1_hkdf_salt(c, salt, 4) > 0 && EVP_PKEY_CTX_set1_hkdf_key(c, KEY, 32) > 0
              && EVP_PKEY_CTX_add1_hkdf_info(c, info, 4) > 0 && EVP_PKEY_derive(c, theirs, &n) > 0,
          "OpenSSL HKDF", "derives");
    EVP_PKEY_CTX_free(c);
    check(nc_attr(s, d, CKA_VALUE, mine, sizeof mine) == 42 && memcmp(mine, theirs, 42) == 0, "CKM_HKDF_DERIVE",
          "the HSM's key is OpenSSL's HKDF");
    /* SP 800-108 counter mode, HMAC-SHA256, [i]32 || 01 02 03: the base key and one additional key of 16 bytes
     * each, each on a PRF segment of its own (§2.42.7): HMAC(KEY, 00000001 010203) and HMAC(KEY, 00000002 010203)
     * begin them. The additional key's handle lands in its phKey. */
    NC_SP800_108_COUNTER_FORMAT counter;
    memset(&counter, 0, sizeof counter); /* its padding travels too: the node reads the struct's raw bytes */
    counter.ulWidthInBits = 32;
    CK_BYTE fixed[] = {1, 2, 3};
    NC_PRF_DATA_PARAM data[] = {{NC_CK_SP800_108_ITERATION_VARIABLE, &counter, sizeof counter},
                                {NC_CK_SP800_108_BYTE_ARRAY, fixed, 3}};
    CK_OBJECT_HANDLE extra = 0;
    CK_ATTRIBUTE t16[] = {READABLE_SECRET(klen)};
    NC_DERIVED_KEY more = {t16, 5, &extra};
    NC_SP800_108_KDF_PARAMS p = {CKM_SHA256_HMAC, 2, data, 1, &more};
    CK_MECHANISM km = {NC_CKM_SP800_108_COUNTER_KDF, &p, sizeof p};
    CHECK_RV(f->C_DeriveKey(s, &km, base, t16, 5, &d), CKR_OK);
    check(extra != 0 && extra != d, "SP 800-108", "the additional key's handle is written back (%lu)", extra);
    CK_BYTE input[] = {0, 0, 0, 1, 1, 2, 3}, mac[32];
    unsigned int ml = 0;
    HMAC(EVP_sha256(), KEY, 32, input, sizeof input, mac, &ml);
    check(nc_attr(s, d, CKA_VALUE, mine, sizeof mine) == 16 && memcmp(mine, mac, 16) == 0, "SP 800-108 key",
          "the first segment's 16 bytes of OpenSSL's HMAC");
    input[3] = 2;
    HMAC(EVP_sha256(), KEY, 32, input, sizeof input, mac, &ml);
    if (extra != 0) {
        check(nc_attr(s, extra, CKA_VALUE, mine, sizeof mine) == 16 && memcmp(mine, mac, 16) == 0,
              "SP 800-108 additional key", "the second segment's 16 bytes");
    }
    NC_DERIVED_KEY no_handle = {t16, 5, NULL};
    p.pAdditionalDerivedKeys = &no_handle;
    CHECK_RV(f->C_DeriveKey(s, &km, base, t16, 5, &d), CKR_MECHANISM_PARAM_INVALID);
    CHECK_RV(f->C_Finalize(NULL), CKR_OK);
}

int case_params(const char *name, const char *pin) {
    if (strcmp(name, "gcm") == 0) gcm(pin);
    else if (strcmp(name, "message-gcm") == 0) message_gcm(pin);
    else if (strcmp(name, "rsa") == 0) rsa(pin);
    else if (strcmp(name, "ec") == 0) ec(pin);
    else if (strcmp(name, "kdf") == 0) kdf(pin);
    else return 0;
    return 1;
}
