package io.jhsm.pkcs11;

/** PKCS#11 Flags of the info structures, sessions, mechanisms and interfaces. Names repeat values across contexts, as in the C headers. Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKF {
    private CKF() {}

    public static final long TOKEN_PRESENT = 0x1L;
    public static final long REMOVABLE_DEVICE = 0x2L;
    public static final long HW_SLOT = 0x4L;
    public static final long ARRAY_ATTRIBUTE = 0x40000000L;
    public static final long RNG = 0x1L;
    public static final long WRITE_PROTECTED = 0x2L;
    public static final long LOGIN_REQUIRED = 0x4L;
    public static final long USER_PIN_INITIALIZED = 0x8L;
    public static final long RESTORE_KEY_NOT_NEEDED = 0x20L;
    public static final long CLOCK_ON_TOKEN = 0x40L;
    public static final long PROTECTED_AUTHENTICATION_PATH = 0x100L;
    public static final long DUAL_CRYPTO_OPERATIONS = 0x200L;
    public static final long TOKEN_INITIALIZED = 0x400L;
    public static final long SECONDARY_AUTHENTICATION = 0x800L;
    public static final long USER_PIN_COUNT_LOW = 0x10000L;
    public static final long USER_PIN_FINAL_TRY = 0x20000L;
    public static final long USER_PIN_LOCKED = 0x40000L;
    public static final long USER_PIN_TO_BE_CHANGED = 0x80000L;
    public static final long SO_PIN_COUNT_LOW = 0x100000L;
    public static final long SO_PIN_FINAL_TRY = 0x200000L;
    public static final long SO_PIN_LOCKED = 0x400000L;
    public static final long SO_PIN_TO_BE_CHANGED = 0x800000L;
    public static final long RW_SESSION = 0x2L;
    public static final long SERIAL_SESSION = 0x4L;
    public static final long NEXT_OTP = 0x1L;
    public static final long EXCLUDE_TIME = 0x2L;
    public static final long EXCLUDE_COUNTER = 0x4L;
    public static final long EXCLUDE_CHALLENGE = 0x8L;
    public static final long EXCLUDE_PIN = 0x10L;
    public static final long USER_FRIENDLY_OTP = 0x20L;
    public static final long HW = 0x1L;
    public static final long ENCRYPT = 0x100L;
    public static final long DECRYPT = 0x200L;
    public static final long DIGEST = 0x400L;
    public static final long SIGN = 0x800L;
    public static final long SIGN_RECOVER = 0x1000L;
    public static final long VERIFY = 0x2000L;
    public static final long VERIFY_RECOVER = 0x4000L;
    public static final long GENERATE = 0x8000L;
    public static final long GENERATE_KEY_PAIR = 0x10000L;
    public static final long WRAP = 0x20000L;
    public static final long UNWRAP = 0x40000L;
    public static final long DERIVE = 0x80000L;
    public static final long EXTENSION = 0x80000000L;
    public static final long EC_F_P = 0x100000L;
    public static final long EC_NAMEDCURVE = 0x800000L;
    public static final long EC_UNCOMPRESS = 0x1000000L;
    public static final long EC_COMPRESS = 0x2000000L;
    public static final long DONT_BLOCK = 0x1L;
    public static final long LIBRARY_CANT_CREATE_OS_THREADS = 0x1L;
    public static final long OS_LOCKING_OK = 0x2L;
    public static final long MESSAGE_ENCRYPT = 0x2L;
    public static final long MESSAGE_DECRYPT = 0x4L;
    public static final long MESSAGE_SIGN = 0x8L;
    public static final long MESSAGE_VERIFY = 0x10L;
    public static final long MULTI_MESSAGE = 0x20L;
    public static final long FIND_OBJECTS = 0x40L;
    public static final long INTERFACE_FORK_SAFE = 0x1L;
    public static final long END_OF_MESSAGE = 0x1L;
    /** CK_HKDF_PARAMS.ulSaltType values (PKCS#11 3.0). */
    public static final long HKDF_SALT_NULL = 0x1L;
    public static final long HKDF_SALT_DATA = 0x2L;
    public static final long HKDF_SALT_KEY = 0x4L;

    /** PKCS#11 3.2 CK_MECHANISM_INFO flags for key encapsulation mechanisms. */
    public static final long ENCAPSULATE = 0x10000000L;
    public static final long DECAPSULATE = 0x20000000L;

    /** The constant's name, e.g. {@code CKF_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKF.class, value);
    }
}
