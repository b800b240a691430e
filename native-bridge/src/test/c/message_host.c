/*
 * A plain C application using libjhsm.so with the real engine through the PKCS#11 3.0 message
 * functions: initialises a token (JHSM_CONF names a throw-away directory), imports a known AES-256
 * key, encrypts one message with AES-GCM and a token-generated IV (CKG_GENERATE_RANDOM), decrypts it
 * again, and checks that a bad tag is refused. Prints KEY hex lines for MessageHostTest, which checks
 * IV, tag and ciphertext against the JDK's AES-GCM; exits non-zero on the first unexpected CK_RV.
 * Usage: message_host <path/to/libjhsm.so>
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

/* PKCS#11 3.0 definitions that the p11-kit 0.24 header does not have. */
typedef struct {
    CK_BYTE *pIv;
    CK_ULONG ulIvLen;
    CK_ULONG ulIvFixedBits;
    CK_ULONG ivGenerator;
    CK_BYTE *pTag;
    CK_ULONG ulTagBits;
} GCM_MESSAGE_PARAMS;
/* CK_FUNCTION_LIST_3_0: the version, then the functions (the pointers align the first to offset 8). */
typedef struct {
    CK_VERSION version;
    void *fn[92];
} FUNCTION_LIST_3_0;
typedef struct {
    CK_CHAR *pInterfaceName;
    void *pFunctionList;
    CK_FLAGS flags;
} INTERFACE;
#define CKG_NO_GENERATE_ 0UL
#define CKG_GENERATE_RANDOM_ 3UL
/* Indices in FUNCTION_LIST_3_0.fn. */
#define IDX_MESSAGE_ENCRYPT_INIT 72
#define IDX_ENCRYPT_MESSAGE 73
#define IDX_MESSAGE_ENCRYPT_FINAL 76
#define IDX_MESSAGE_DECRYPT_INIT 77
#define IDX_DECRYPT_MESSAGE 78
#define IDX_MESSAGE_DECRYPT_FINAL 81

typedef CK_RV (*InitFn)(CK_SESSION_HANDLE, CK_MECHANISM *, CK_OBJECT_HANDLE);
typedef CK_RV (*CryptMessageFn)(CK_SESSION_HANDLE, void *, CK_ULONG, CK_BYTE *, CK_ULONG, CK_BYTE *, CK_ULONG,
                                CK_BYTE *, CK_ULONG *);
typedef CK_RV (*FinalFn)(CK_SESSION_HANDLE);
typedef CK_RV (*GetInterfaceFn)(CK_CHAR *, CK_VERSION *, INTERFACE **, CK_FLAGS);

#define EXPECT(call, want)                                                              \
    do {                                                                                \
        CK_RV got_ = (call);                                                            \
        if (got_ != (want)) {                                                           \
            printf("FAIL %s = 0x%lx, want 0x%lx\n", #call, got_, (CK_RV) (want));      \
            return 1;                                                                   \
        }                                                                               \
    } while (0)

static void hex(const char *key, const CK_BYTE *b, CK_ULONG n) {
    printf("%s ", key);
    for (CK_ULONG i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        printf("FAIL dlopen %s\n", dlerror());
        return 1;
    }
    CK_C_GetFunctionList get_list = (CK_C_GetFunctionList) dlsym(lib, "C_GetFunctionList");
    GetInterfaceFn get_interface = (GetInterfaceFn) dlsym(lib, "C_GetInterface");
    CK_FUNCTION_LIST_PTR f = NULL;
    INTERFACE *iface = NULL;
    EXPECT(get_list(&f), CKR_OK);
    EXPECT(get_interface(NULL, NULL, &iface, 0), CKR_OK);
    void **f30 = ((FUNCTION_LIST_3_0 *) iface->pFunctionList)->fn;

    EXPECT(f->C_Initialize(NULL), CKR_OK);
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof label);
    memcpy(label, "message test", 12);
    EXPECT(f->C_InitToken(0, (CK_UTF8CHAR *) "so-pin-1234", 11, label), CKR_OK);
    CK_SESSION_HANDLE s;
    EXPECT(f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s), CKR_OK);
    EXPECT(f->C_Login(s, CKU_SO, (CK_UTF8CHAR *) "so-pin-1234", 11), CKR_OK);
    EXPECT(f->C_InitPIN(s, (CK_UTF8CHAR *) "user-pin-1234", 13), CKR_OK);
    EXPECT(f->C_Logout(s), CKR_OK);
    EXPECT(f->C_Login(s, CKU_USER, (CK_UTF8CHAR *) "user-pin-1234", 13), CKR_OK);

    CK_BYTE value[32];
    for (int i = 0; i < 32; i++) {
        value[i] = (CK_BYTE) i;
    }
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}, {CKA_VALUE, value, sizeof value},
                        {CKA_ENCRYPT, &yes, 1}, {CKA_DECRYPT, &yes, 1}};
    CK_OBJECT_HANDLE key;
    EXPECT(f->C_CreateObject(s, t, 5, &key), CKR_OK);
    hex("KEY", value, sizeof value);

    CK_MECHANISM gcm = {CKM_AES_GCM, NULL, 0};
    CK_BYTE iv[12] = {0xCA, 0xFE};
    CK_BYTE tag[16] = {0};
    GCM_MESSAGE_PARAMS p = {iv, sizeof iv, 16, CKG_GENERATE_RANDOM_, tag, 128};
    CK_BYTE aad[] = "header";
    CK_BYTE text[] = "attack at dawn, message-based";
    CK_ULONG text_len = sizeof text - 1;
    CK_BYTE ct[64];
    CK_ULONG ct_len = 0;
    EXPECT(((InitFn) f30[IDX_MESSAGE_ENCRYPT_INIT])(s, &gcm, key), CKR_OK);
    EXPECT(((CryptMessageFn) f30[IDX_ENCRYPT_MESSAGE])(s, &p, sizeof p, aad, 6, text, text_len, NULL, &ct_len), CKR_OK);
    printf("LENGTH_QUERY %lu\n", ct_len);
    ct_len = sizeof ct;
    EXPECT(((CryptMessageFn) f30[IDX_ENCRYPT_MESSAGE])(s, &p, sizeof p, aad, 6, text, text_len, ct, &ct_len), CKR_OK);
    EXPECT(((FinalFn) f30[IDX_MESSAGE_ENCRYPT_FINAL])(s), CKR_OK);
    hex("AAD", aad, 6);
    hex("PLAINTEXT", text, text_len);
    hex("IV", iv, sizeof iv);
    hex("TAG", tag, sizeof tag);
    hex("CIPHERTEXT", ct, ct_len);

    CK_BYTE pt[64];
    CK_ULONG pt_len = sizeof pt;
    GCM_MESSAGE_PARAMS d = {iv, sizeof iv, 0, CKG_NO_GENERATE_, tag, 128};
    EXPECT(((InitFn) f30[IDX_MESSAGE_DECRYPT_INIT])(s, &gcm, key), CKR_OK);
    EXPECT(((CryptMessageFn) f30[IDX_DECRYPT_MESSAGE])(s, &d, sizeof d, aad, 6, ct, ct_len, pt, &pt_len), CKR_OK);
    printf("ROUNDTRIP %s\n", pt_len == text_len && memcmp(pt, text, text_len) == 0 ? "ok" : "bad");
    tag[0] ^= 1;
    pt_len = sizeof pt;
    EXPECT(((CryptMessageFn) f30[IDX_DECRYPT_MESSAGE])(s, &d, sizeof d, aad, 6, ct, ct_len, pt, &pt_len),
           CKR_ENCRYPTED_DATA_INVALID);
    printf("BAD_TAG refused\n");
    EXPECT(((FinalFn) f30[IDX_MESSAGE_DECRYPT_FINAL])(s), CKR_OK);
    EXPECT(f->C_Finalize(NULL), CKR_OK);
    printf("DONE\n");
    return 0;
}
