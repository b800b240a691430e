/* p11bench's key material, one function per measured operation, and the two case tables (warm, first second). */
#define _GNU_SOURCE
#include <string.h>
#include "p11bench.h"

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

/* ---- key material ------------------------------------------------------------------------------ */

static const CK_BYTE P256_OID[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static const CK_BYTE ED25519_OID[] = {0x06, 0x03, 0x2B, 0x65, 0x70};
static const CK_BYTE ED25519_NAME[] = {0x13, 0x0C, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'};
static const CK_BYTE F4[] = {0x01, 0x00, 0x01};
static CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, NULL, 0};

static CK_RV gen_aes(module *m, CK_SESSION_HANDLE s, CK_BBOOL *token, CK_OBJECT_HANDLE *h) {
    CK_ULONG len = 32;
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_TOKEN, token, 1}, {CKA_ENCRYPT, &yes, 1},
                        {CKA_DECRYPT, &yes, 1}, {CKA_LABEL, "bench-aes", 9}, {CKA_ID, "\x01", 1}};
    CK_MECHANISM mech = {CKM_AES_KEY_GEN, NULL, 0};
    return m->f->C_GenerateKey(s, &mech, t, 6, h);
}

/* A 32-byte generic secret for HMAC. */
static CK_RV gen_hmac(module *m, CK_OBJECT_HANDLE *h) {
    CK_ULONG len = 32;
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_TOKEN, &no, 1}, {CKA_SIGN, &yes, 1},
                        {CKA_VERIFY, &yes, 1}, {CKA_LABEL, "bench-hmac", 10}};
    CK_MECHANISM mech = {CKM_GENERIC_SECRET_KEY_GEN, NULL, 0};
    return m->f->C_GenerateKey(m->s, &mech, t, 5, h);
}

static CK_RV gen_pair(module *m, CK_SESSION_HANDLE s, enum key k, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv) {
    CK_ULONG bits = 2048;
    CK_BBOOL *token = k == K_EC_TOKEN ? &yes : &no;
    /* What the pair is for: signing, unless it derives (ECDH) or decrypts (OAEP). */
    CK_ATTRIBUTE_TYPE pub_use = k == K_ECDH ? CKA_DERIVE : k == K_RSA_OAEP ? CKA_ENCRYPT : CKA_VERIFY;
    CK_ATTRIBUTE_TYPE priv_use = k == K_ECDH ? CKA_DERIVE : k == K_RSA_OAEP ? CKA_DECRYPT : CKA_SIGN;
    CK_ATTRIBUTE pt[4] = {{CKA_TOKEN, token, 1}, {pub_use, &yes, 1}};
    CK_ATTRIBUTE st[] = {{CKA_TOKEN, token, 1}, {priv_use, &yes, 1}, {CKA_PRIVATE, &yes, 1},
                         {CKA_SENSITIVE, &yes, 1}, {CKA_LABEL, "bench-pair", 10}, {CKA_ID, "\x02", 1}};
    CK_MECHANISM mech = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ULONG np = 3;
    if (k == K_EC || k == K_EC_TOKEN || k == K_ECDH) {
        pt[2] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *) P256_OID, sizeof P256_OID};
    } else if (k == K_RSA || k == K_RSA_OAEP) {
        mech.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
        pt[2] = (CK_ATTRIBUTE){CKA_MODULUS_BITS, &bits, sizeof bits};
        pt[3] = (CK_ATTRIBUTE){CKA_PUBLIC_EXPONENT, (void *) F4, sizeof F4};
        np = 4;
    } else {
        mech.mechanism = CKM_EC_EDWARDS_KEY_PAIR_GEN;
        pt[2] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *) ED25519_OID, sizeof ED25519_OID};
        CK_RV rv = m->f->C_GenerateKeyPair(s, &mech, pt, np, st, 6, pub, priv);
        if (rv == CKR_OK) return rv;
        pt[2] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *) ED25519_NAME, sizeof ED25519_NAME};
    }
    return m->f->C_GenerateKeyPair(s, &mech, pt, np, st, 6, pub, priv);
}

static CK_MECHANISM_TYPE sign_mech(enum key k) {
    return k == K_EC || k == K_EC_TOKEN ? CKM_ECDSA : k == K_RSA ? CKM_SHA256_RSA_PKCS : CKM_EDDSA;
}

CK_RV sign_once(module *m, CK_SESSION_HANDLE s, enum key k, CK_BYTE *sig, CK_ULONG *len) {
    CK_MECHANISM mech = {sign_mech(k), NULL, 0};
    CK_RV rv = m->f->C_SignInit(s, &mech, m->key[k]);
    *len = 512;
    return rv != CKR_OK ? rv : m->f->C_Sign(s, buf_in, 32, sig, len);
}

/* The peer's public point for ECDH: a second pair's CKA_EC_POINT, unwrapped from its DER OCTET STRING. */
static CK_RV peer_point(module *m, CK_BYTE *out, CK_ULONG *len) {
    CK_OBJECT_HANDLE pub, priv;
    CK_RV rv = gen_pair(m, m->s, K_EC, &pub, &priv);
    if (rv != CKR_OK) return rv;
    CK_BYTE der[160];
    CK_ATTRIBUTE t = {CKA_EC_POINT, der, sizeof der};
    rv = m->f->C_GetAttributeValue(m->s, pub, &t, 1);
    m->f->C_DestroyObject(m->s, pub);
    m->f->C_DestroyObject(m->s, priv);
    if (rv != CKR_OK) return rv;
    if (t.ulValueLen != 67 || der[0] != 0x04 || der[1] != 65) return P11B_WRONG_RESULT;  /* P-256, uncompressed */
    memcpy(out, der + 2, 65);
    *len = 65;
    return CKR_OK;
}

static CK_RV oaep_encrypt_once(module *m, CK_BYTE *out, CK_ULONG *len) {
    CK_MECHANISM mech = {CKM_RSA_PKCS_OAEP, &oaep, sizeof oaep};
    CK_RV rv = m->f->C_EncryptInit(m->s, &mech, m->pub[K_RSA_OAEP]);
    *len = 512;
    return rv != CKR_OK ? rv : m->f->C_Encrypt(m->s, buf_in, 32, out, len);
}

/* Makes key k and what its cases consume; the CK_RV is kept in m->key_rv[k] for the cases that need it. */
CK_RV make_key(module *m, enum key k) {
    CK_RV rv;
    m->key_made[k] = 1;
    if (k == K_AES || k == K_AES_TOKEN) rv = gen_aes(m, m->s, k == K_AES ? &no : &yes, &m->key[k]);
    else if (k == K_HMAC) rv = gen_hmac(m, &m->key[k]);
    else {
        rv = gen_pair(m, m->s, k, &m->pub[k], &m->key[k]);
        if (rv == CKR_OK && k == K_ECDH) rv = peer_point(m, m->data[k], &m->data_len[k]);
        else if (rv == CKR_OK && k == K_RSA_OAEP) rv = oaep_encrypt_once(m, m->data[k], &m->data_len[k]);
        else if (rv == CKR_OK) rv = sign_once(m, m->s, k, m->data[k], &m->data_len[k]);
    }
    return m->key_rv[k] = rv;
}

/* ---- one operation per function; each returns the first CK_RV that is not CKR_OK ------------------ */

static CK_RV op_session(module *m, const bcase *c) {
    (void) c;
    CK_SESSION_HANDLE s;
    CK_RV rv = m->f->C_OpenSession(m->slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    return rv != CKR_OK ? rv : m->f->C_CloseSession(s);
}

/* The cheapest call there is: what one trip through the module costs, bridge included. */
static CK_RV op_session_info(module *m, const bcase *c) {
    (void) c;
    CK_SESSION_INFO info;
    return m->f->C_GetSessionInfo(m->s, &info);
}

int is_session_info(const bcase *c) { return c->op == op_session_info; }

static CK_RV op_random(module *m, const bcase *c) {
    return m->f->C_GenerateRandom(m->s, buf_out, (CK_ULONG) c->arg);
}

static CK_RV op_digest(module *m, const bcase *c) {
    CK_MECHANISM mech = {CKM_SHA256, NULL, 0};
    CK_ULONG len = 64;
    CK_RV rv = m->f->C_DigestInit(m->s, &mech);
    return rv != CKR_OK ? rv : m->f->C_Digest(m->s, buf_in, (CK_ULONG) c->arg, buf_out, &len);
}

static CK_RV op_sign(module *m, const bcase *c) {
    CK_BYTE sig[512];
    CK_ULONG len;
    return sign_once(m, m->s, c->key, sig, &len);
}

static CK_RV op_verify(module *m, const bcase *c) {
    CK_MECHANISM mech = {sign_mech(c->key), NULL, 0};
    CK_RV rv = m->f->C_VerifyInit(m->s, &mech, m->pub[c->key]);
    return rv != CKR_OK ? rv : m->f->C_Verify(m->s, buf_in, 32, m->data[c->key], m->data_len[c->key]);
}

static CK_RV op_hmac(module *m, const bcase *c) {
    CK_MECHANISM mech = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE mac[64];
    CK_ULONG len = sizeof mac;
    CK_RV rv = m->f->C_SignInit(m->s, &mech, m->key[K_HMAC]);
    if (rv == CKR_OK) rv = m->f->C_Sign(m->s, buf_in, (CK_ULONG) c->arg, mac, &len);
    return rv == CKR_OK && len != 32 ? P11B_WRONG_RESULT : rv;
}

/* ECDH with CKD_NULL: the shared x-coordinate becomes a 32-byte generic secret, destroyed at once. */
static CK_RV op_derive(module *m, const bcase *c) {
    (void) c;
    CK_ECDH1_DERIVE_PARAMS p = {CKD_NULL, 0, NULL, m->data_len[K_ECDH], m->data[K_ECDH]};
    CK_MECHANISM mech = {CKM_ECDH1_DERIVE, &p, sizeof p};
    CK_ULONG cls = CKO_SECRET_KEY, type = CKK_GENERIC_SECRET, len = 32;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &type, sizeof type},
                        {CKA_VALUE_LEN, &len, sizeof len}, {CKA_TOKEN, &no, 1}};
    CK_OBJECT_HANDLE h;
    CK_RV rv = m->f->C_DeriveKey(m->s, &mech, m->key[K_ECDH], t, 4, &h);
    return rv != CKR_OK ? rv : m->f->C_DestroyObject(m->s, h);
}

static CK_RV op_encrypt(module *m, const bcase *c) {
    CK_BYTE iv[16] = {0};
    CK_GCM_PARAMS gcm = {iv, 12, 96, NULL, 0, 128};
    CK_MECHANISM mech = {c->mech, iv, 16};
    if (c->mech == CKM_AES_GCM) { mech.pParameter = &gcm; mech.ulParameterLen = sizeof gcm; }
    CK_ULONG len = (CK_ULONG) c->arg + 32;   /* an output buffer sized as callers size it: input + tag/pad */
    CK_RV rv = m->f->C_EncryptInit(m->s, &mech, m->key[K_AES]);
    return rv != CKR_OK ? rv : m->f->C_Encrypt(m->s, buf_in, (CK_ULONG) c->arg, buf_out, &len);
}

/* RSA-OAEP decrypt of the ciphertext made with the key; the plaintext must come back 32 bytes long. */
static CK_RV op_decrypt(module *m, const bcase *c) {
    CK_MECHANISM mech = {CKM_RSA_PKCS_OAEP, &oaep, sizeof oaep};
    CK_ULONG len = 512;
    CK_RV rv = m->f->C_DecryptInit(m->s, &mech, m->key[c->key]);
    if (rv == CKR_OK) rv = m->f->C_Decrypt(m->s, m->data[c->key], m->data_len[c->key], buf_out, &len);
    return rv == CKR_OK && (len != 32 || memcmp(buf_out, buf_in, 32) != 0) ? P11B_WRONG_RESULT : rv;
}

static CK_RV op_get_attr(module *m, const bcase *c) {
    char label[64], id[64];
    CK_ATTRIBUTE t[] = {{CKA_LABEL, label, sizeof label}, {CKA_ID, id, sizeof id}};
    return m->f->C_GetAttributeValue(m->s, m->key[c->key], t, 2);
}

static CK_RV gen_aes_remembered(module *m, CK_BBOOL *token) {
    CK_OBJECT_HANDLE h;
    CK_RV rv = gen_aes(m, m->s, token, &h);
    if (rv == CKR_OK) remember(m, h);
    return rv;
}

static CK_RV op_gen_key(module *m, const bcase *c) {
    (void) c;
    return gen_aes_remembered(m, &no);
}

/* A token key: on a cluster its creation returns once a majority of HSMs committed it (the commit latency). */
static CK_RV op_gen_token_key(module *m, const bcase *c) {
    (void) c;
    return gen_aes_remembered(m, &yes);
}

/* c->key names the kind of pair to make; the key made beforehand under that name is not used. */
static CK_RV op_gen_pair(module *m, const bcase *c) {
    CK_OBJECT_HANDLE pub, priv;
    CK_RV rv = gen_pair(m, m->s, c->key, &pub, &priv);
    if (rv == CKR_OK) { remember(m, pub); remember(m, priv); }
    return rv;
}

int needs_key(const bcase *c) {
    return c->key != K_NONE && c->op != op_gen_pair;
}

/* ---- the cases, in table order ------------------------------------------------------------------ */

#define LOAD_ROW {"load + C_Initialize (cold: new process)", COLD, NULL, K_NONE, 0, 0}
#define SESSION_ROW {"C_OpenSession + C_CloseSession", LOOP, op_session, K_NONE, 0, 0}
#define RANDOM_ROW {"C_GenerateRandom 32 B", LOOP, op_random, K_NONE, 0, 32}
#define DIGEST_ROWS {"C_Digest SHA-256 64 B", LOOP, op_digest, K_NONE, 0, 64}, \
    {"C_Digest SHA-256 1 MiB", LOOP, op_digest, K_NONE, 0, MiB}
#define HMAC_ROW {"C_Sign HMAC-SHA256 1 KiB", LOOP, op_hmac, K_HMAC, 0, 1024}
#define ECDSA_ROWS {"C_Sign ECDSA P-256 (32 B hash)", LOOP, op_sign, K_EC, 0, 0}, \
    {"C_Verify ECDSA P-256", LOOP, op_verify, K_EC, 0, 0}
#define ECDH_ROW {"C_DeriveKey ECDH P-256 + C_DestroyObject", LOOP, op_derive, K_ECDH, 0, 0}
#define RSA_ROWS {"C_Sign RSA-2048 SHA256_RSA_PKCS", LOOP, op_sign, K_RSA, 0, 0}, \
    {"C_Verify RSA-2048 SHA256_RSA_PKCS", LOOP, op_verify, K_RSA, 0, 0}
#define OAEP_ROW {"C_Decrypt RSA-2048 OAEP (SHA-1)", LOOP, op_decrypt, K_RSA_OAEP, 0, 0}
#define GCM_ROW {"C_Encrypt AES-256-GCM 1 KiB", LOOP, op_encrypt, K_AES, CKM_AES_GCM, 1024}
#define GCM_MIB_ROW {"C_Encrypt AES-256-GCM 1 MiB", LOOP, op_encrypt, K_AES, CKM_AES_GCM, MiB}
#define CBC_ROW {"C_Encrypt AES-256-CBC-PAD 1 MiB", LOOP, op_encrypt, K_AES, CKM_AES_CBC_PAD, MiB}
#define ATTR_ROW {"C_GetAttributeValue LABEL + ID", LOOP, op_get_attr, K_AES, 0, 0}
#define GEN_KEY_ROW {"C_GenerateKey AES-256", LOOP, op_gen_key, K_NONE, 0, 0}
#define GEN_EC_ROW {"C_GenerateKeyPair EC P-256", LOOP, op_gen_pair, K_EC, 0, 0}
#define ECDSA_THREAD_ROWS {"ECDSA P-256 sign 1 thread", THREADS, NULL, K_EC, 0, 1}, \
    {"ECDSA P-256 sign 2 threads (total)", THREADS, NULL, K_EC, 0, 2}, \
    {"ECDSA P-256 sign 4 threads (total)", THREADS, NULL, K_EC, 0, 4}
#define OBJECT_ROWS {"C_CreateObject token data object", OBJ_CREATE, NULL, K_NONE, 0, 0}, \
    {"C_FindObjects 1 by label among all", OBJ_FIND, NULL, K_NONE, 0, 0}, \
    {"C_DestroyObject token data object", OBJ_DESTROY, NULL, K_NONE, 0, 0}

static const bcase warm_cases[] = {
    LOAD_ROW,
    {"cold start to the first C_OpenSession (new process)", COLD, NULL, K_NONE, 0, 1},
    {"C_GetSessionInfo (per-call floor)", LOOP, op_session_info, K_NONE, 0, 0},
    SESSION_ROW, RANDOM_ROW, DIGEST_ROWS, HMAC_ROW, ECDSA_ROWS, ECDH_ROW, RSA_ROWS, OAEP_ROW,
    {"C_Sign Ed25519 (EDDSA)", LOOP, op_sign, K_ED, 0, 0},
    {"C_Verify Ed25519 (EDDSA)", LOOP, op_verify, K_ED, 0, 0},
    GCM_ROW, GCM_MIB_ROW, CBC_ROW, ATTR_ROW,
    {"C_GetAttributeValue LABEL + ID (token key)", LOOP, op_get_attr, K_AES_TOKEN, 0, 0},
    {"C_Sign ECDSA P-256 (token key)", LOOP, op_sign, K_EC_TOKEN, 0, 0},
    GEN_KEY_ROW,
    {"C_GenerateKey AES-256 (token key)", LOOP, op_gen_token_key, K_NONE, 0, 0},
    GEN_EC_ROW,
    {"C_GenerateKeyPair RSA-2048", LOOP, op_gen_pair, K_RSA, 0, 0},
    ECDSA_THREAD_ROWS,
    /* Threads' sessions may live on different HSMs of a cluster, where a session key is not: a token key. */
    {"ECDSA P-256 token key sign 1 thread", THREADS, NULL, K_EC_TOKEN, 0, 1},
    {"ECDSA P-256 token key sign 4 threads (total)", THREADS, NULL, K_EC_TOKEN, 0, 4},
    {"RSA-2048 sign 1 thread", THREADS, NULL, K_RSA, 0, 1},
    {"RSA-2048 sign 4 threads (total)", THREADS, NULL, K_RSA, 0, 4},
    OBJECT_ROWS,
};

/* The order issue 16 measured a consumer's first second in, then the rows added with it. */
static const bcase first_second_cases[] = {
    LOAD_ROW, SESSION_ROW, RANDOM_ROW, DIGEST_ROWS, ECDSA_ROWS, RSA_ROWS, GCM_ROW, CBC_ROW, ATTR_ROW,
    GEN_KEY_ROW, GEN_EC_ROW, ECDSA_THREAD_ROWS, OBJECT_ROWS,
    ECDH_ROW, GCM_MIB_ROW, HMAC_ROW, OAEP_ROW,
};

const table warm_table = {warm_cases, sizeof warm_cases / sizeof warm_cases[0], NULL, 0};
const table first_second_table = {
    first_second_cases, sizeof first_second_cases / sizeof first_second_cases[0],
    "First second: every round starts each module in a fresh process (fork + exec, modules alternating) that "
    "loads it, calls C_Initialize, logs in, then runs every row once, in this order, for one sample (1 s unless the "
    "settings line says otherwise) with no warm-up. A row marked † uses a key made before its sample, by it or an "
    "earlier row, with the signature a verify checks, the ciphertext a decrypt reads, the peer's point ECDH takes: "
    "not counted. Token objects: N "
    "created, one found by label for one sample, all destroyed. The load row is that process's own dlopen + "
    "C_Initialize.",
    1,
};
