/*
 * The few PKCS#11 types and constants the shim needs, written from the PKCS#11 3.0 and 3.2 base
 * specifications. The system's p11-kit header (0.24.1) stops at 2.40 (no CK_INTERFACE, no
 * CK_FUNCTION_LIST_3_0), and the shim never looks inside any other structure: it only forwards
 * arguments, so a full header would be dead weight and a second source of truth.
 */
#ifndef JHSM_PKCS11_H
#define JHSM_PKCS11_H

typedef unsigned long CK_ULONG;
typedef CK_ULONG CK_RV;
typedef CK_ULONG CK_FLAGS;
typedef unsigned char CK_BYTE;
typedef unsigned char CK_BBOOL;
typedef unsigned char CK_CHAR;

typedef struct CK_VERSION {
    CK_BYTE major;
    CK_BYTE minor;
} CK_VERSION;

/* PKCS#11 3.0, section 3.6: one interface a module offers. */
typedef struct CK_INTERFACE {
    CK_CHAR *pInterfaceName;
    void *pFunctionList;
    CK_FLAGS flags;
} CK_INTERFACE;

#define CKR_OK                        0x000UL
#define CKR_GENERAL_ERROR             0x005UL
#define CKR_ARGUMENTS_BAD             0x007UL
#define CKR_FUNCTION_NOT_SUPPORTED    0x054UL
#define CKR_BUFFER_TOO_SMALL          0x150UL
#define CKR_CRYPTOKI_NOT_INITIALIZED  0x190UL

/* CK_FUNCTION_LIST has 68 entries; CK_FUNCTION_LIST_3_0 appends 24 more, CK_FUNCTION_LIST_3_2 12 more. */
#define JHSM_FN_COUNT_2_40 68
#define JHSM_FN_COUNT_3_0  92
#define JHSM_FN_COUNT_3_2  104

/*
 * The lists are a CK_VERSION followed by function pointers in the order of the specification
 * (jhsm_functions.h); an array of pointers has exactly that layout on LP64, so one array backs
 * all lists and the index of a function is its position in that order.
 */
typedef struct jhsm_function_list_3_2 {
    CK_VERSION version;
    void *fn[JHSM_FN_COUNT_3_2];
} jhsm_function_list_3_2;

typedef struct jhsm_function_list {
    CK_VERSION version;
    void *fn[JHSM_FN_COUNT_3_0];
} jhsm_function_list;

typedef struct jhsm_function_list_2_40 {
    CK_VERSION version;
    void *fn[JHSM_FN_COUNT_2_40];
} jhsm_function_list_2_40;

#endif
