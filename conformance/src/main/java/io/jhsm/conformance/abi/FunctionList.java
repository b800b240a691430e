package io.jhsm.conformance.abi;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * A loaded PKCS#11 module's function table. PKCS#11 3.0 modules are asked for the "PKCS 11" 3.0
 * interface first, because only that table has the 3.0 functions; older modules (SoftHSM 2.6) give
 * CK_FUNCTION_LIST through C_GetFunctionList. The first 68 entries are at the same positions in both.
 */
public final class FunctionList {
    /** Positions in CK_FUNCTION_LIST[_3_0], after the leading CK_VERSION (padded to 8 bytes). */
    public static final int C_Initialize = 0, C_Finalize = 1, C_GetInfo = 2, C_GetSlotList = 4, C_GetSlotInfo = 5,
            C_GetTokenInfo = 6, C_GetMechanismList = 7, C_GetMechanismInfo = 8, C_InitToken = 9, C_InitPIN = 10,
            C_SetPIN = 11, C_OpenSession = 12, C_CloseSession = 13, C_CloseAllSessions = 14, C_GetSessionInfo = 15,
            C_GetOperationState = 16, C_SetOperationState = 17,
            C_Login = 18, C_Logout = 19, C_CreateObject = 20, C_CopyObject = 21, C_DestroyObject = 22,
            C_GetObjectSize = 23, C_GetAttributeValue = 24, C_SetAttributeValue = 25, C_FindObjectsInit = 26,
            C_FindObjects = 27, C_FindObjectsFinal = 28, C_EncryptInit = 29, C_Encrypt = 30, C_EncryptUpdate = 31,
            C_EncryptFinal = 32, C_DecryptInit = 33, C_Decrypt = 34, C_DecryptUpdate = 35, C_DecryptFinal = 36,
            C_DigestInit = 37, C_Digest = 38, C_DigestUpdate = 39, C_DigestKey = 40, C_DigestFinal = 41,
            C_SignInit = 42, C_Sign = 43, C_SignUpdate = 44, C_SignFinal = 45, C_VerifyInit = 48, C_Verify = 49,
            C_VerifyUpdate = 50, C_VerifyFinal = 51, C_GenerateKey = 58, C_GenerateKeyPair = 59, C_WrapKey = 60,
            C_UnwrapKey = 61, C_DeriveKey = 62, C_SeedRandom = 63, C_GenerateRandom = 64, C_LoginUser = 70,
            C_SessionCancel = 71, C_EncapsulateKey = 92, C_DecapsulateKey = 93, C_VerifySignatureInit = 94,
            C_VerifySignature = 95, C_VerifySignatureUpdate = 96, C_VerifySignatureFinal = 97,
            C_GetSessionValidationFlags = 98, C_WrapKeyAuthenticated = 102, C_UnwrapKeyAuthenticated = 103;

    private static final int V2_COUNT = 68;

    private final NativeLibrary library;
    private final Pointer table;
    private final int count;
    private final String binding;

    private FunctionList(NativeLibrary library, Pointer table, int count, String binding) {
        this.library = library;
        this.table = table;
        this.count = count;
        this.binding = binding;
    }

    public static FunctionList load(String path) {
        FunctionList v30 = loadInterface(path, 0, 92);
        if (v30 != null) {
            return v30;
        }
        NativeLibrary lib = NativeLibrary.getInstance(path);
        PointerByReference ref = new PointerByReference();
        long rv = lib.getFunction("C_GetFunctionList").invokeLong(new Object[] {ref});
        if (rv != 0) {
            throw new IllegalStateException(path + ": C_GetFunctionList returned " + rv);
        }
        return new FunctionList(lib, ref.getValue(), V2_COUNT, "C_GetFunctionList");
    }

    /** The module's PKCS#11 3.2 table (KEM, C_VerifySignature*, authenticated wrapping, validation flags), or null when it offers none. */
    public static FunctionList load32(String path) {
        return loadInterface(path, 2, 104);
    }

    private static FunctionList loadInterface(String path, int minor, int count) {
        NativeLibrary lib = NativeLibrary.getInstance(path);
        Function getInterface = optional(lib, "C_GetInterface");
        if (getInterface == null) {
            return null;
        }
        Memory name = new Memory(8);
        name.setString(0, "PKCS 11", StandardCharsets.US_ASCII.name());
        Memory version = new Memory(2);
        version.setByte(0, (byte) 3);
        version.setByte(1, (byte) minor);
        PointerByReference iface = new PointerByReference();
        if (getInterface.invokeLong(new Object[] {name, version, iface, 0L}) != 0 || iface.getValue() == null) {
            return null;
        }
        // CK_INTERFACE {pInterfaceName, pFunctionList, flags}
        return new FunctionList(lib, iface.getValue().getPointer(8), count, "C_GetInterface(\"PKCS 11\", 3." + minor + ")");
    }

    private static Function optional(NativeLibrary lib, String name) {
        try {
            return lib.getFunction(name);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The version the table itself declares (its leading CK_VERSION). */
    public int[] tableVersion() {
        return new int[] {table.getByte(0), table.getByte(1)};
    }

    public String binding() {
        return binding;
    }

    public String path() {
        return library.getFile() == null ? library.getName() : library.getFile().getPath();
    }

    /** True when the table has the entry and it is not NULL. */
    public boolean has(int index) {
        return index < count && table.getPointer(8 + 8L * index) != null;
    }

    /** Calls entry {@code index} and returns its CK_RV; a missing entry answers CKR_FUNCTION_NOT_SUPPORTED. */
    public long call(int index, Object... args) {
        if (!has(index)) {
            return io.jhsm.pkcs11.CKR.FUNCTION_NOT_SUPPORTED;
        }
        return Function.getFunction(table.getPointer(8 + 8L * index)).invokeLong(args);
    }
}
