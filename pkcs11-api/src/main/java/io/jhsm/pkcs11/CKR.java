package io.jhsm.pkcs11;

/** PKCS#11 Return values (CK_RV). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKR {
    private CKR() {}

    public static final long OK = 0x0L;
    public static final long CANCEL = 0x1L;
    public static final long HOST_MEMORY = 0x2L;
    public static final long SLOT_ID_INVALID = 0x3L;
    public static final long GENERAL_ERROR = 0x5L;
    public static final long FUNCTION_FAILED = 0x6L;
    public static final long ARGUMENTS_BAD = 0x7L;
    public static final long NO_EVENT = 0x8L;
    public static final long NEED_TO_CREATE_THREADS = 0x9L;
    public static final long CANT_LOCK = 0xAL;
    public static final long ATTRIBUTE_READ_ONLY = 0x10L;
    public static final long ATTRIBUTE_SENSITIVE = 0x11L;
    public static final long ATTRIBUTE_TYPE_INVALID = 0x12L;
    public static final long ATTRIBUTE_VALUE_INVALID = 0x13L;
    public static final long ACTION_PROHIBITED = 0x1BL;
    public static final long DATA_INVALID = 0x20L;
    public static final long DATA_LEN_RANGE = 0x21L;
    public static final long DEVICE_ERROR = 0x30L;
    public static final long DEVICE_MEMORY = 0x31L;
    public static final long DEVICE_REMOVED = 0x32L;
    public static final long ENCRYPTED_DATA_INVALID = 0x40L;
    public static final long ENCRYPTED_DATA_LEN_RANGE = 0x41L;
    public static final long FUNCTION_CANCELED = 0x50L;
    public static final long FUNCTION_NOT_PARALLEL = 0x51L;
    public static final long FUNCTION_NOT_SUPPORTED = 0x54L;
    public static final long KEY_HANDLE_INVALID = 0x60L;
    public static final long KEY_SIZE_RANGE = 0x62L;
    public static final long KEY_TYPE_INCONSISTENT = 0x63L;
    public static final long KEY_NOT_NEEDED = 0x64L;
    public static final long KEY_CHANGED = 0x65L;
    public static final long KEY_NEEDED = 0x66L;
    public static final long KEY_INDIGESTIBLE = 0x67L;
    public static final long KEY_FUNCTION_NOT_PERMITTED = 0x68L;
    public static final long KEY_NOT_WRAPPABLE = 0x69L;
    public static final long KEY_UNEXTRACTABLE = 0x6AL;
    public static final long MECHANISM_INVALID = 0x70L;
    public static final long MECHANISM_PARAM_INVALID = 0x71L;
    public static final long OBJECT_HANDLE_INVALID = 0x82L;
    public static final long OPERATION_ACTIVE = 0x90L;
    public static final long OPERATION_NOT_INITIALIZED = 0x91L;
    public static final long PIN_INCORRECT = 0xA0L;
    public static final long PIN_INVALID = 0xA1L;
    public static final long PIN_LEN_RANGE = 0xA2L;
    public static final long PIN_EXPIRED = 0xA3L;
    public static final long PIN_LOCKED = 0xA4L;
    public static final long SESSION_CLOSED = 0xB0L;
    public static final long SESSION_COUNT = 0xB1L;
    public static final long SESSION_HANDLE_INVALID = 0xB3L;
    public static final long SESSION_PARALLEL_NOT_SUPPORTED = 0xB4L;
    public static final long SESSION_READ_ONLY = 0xB5L;
    public static final long SESSION_EXISTS = 0xB6L;
    public static final long SESSION_READ_ONLY_EXISTS = 0xB7L;
    public static final long SESSION_READ_WRITE_SO_EXISTS = 0xB8L;
    public static final long SIGNATURE_INVALID = 0xC0L;
    public static final long SIGNATURE_LEN_RANGE = 0xC1L;
    public static final long TEMPLATE_INCOMPLETE = 0xD0L;
    public static final long TEMPLATE_INCONSISTENT = 0xD1L;
    public static final long TOKEN_NOT_PRESENT = 0xE0L;
    public static final long TOKEN_NOT_RECOGNIZED = 0xE1L;
    public static final long TOKEN_WRITE_PROTECTED = 0xE2L;
    public static final long UNWRAPPING_KEY_HANDLE_INVALID = 0xF0L;
    public static final long UNWRAPPING_KEY_SIZE_RANGE = 0xF1L;
    public static final long UNWRAPPING_KEY_TYPE_INCONSISTENT = 0xF2L;
    public static final long USER_ALREADY_LOGGED_IN = 0x100L;
    public static final long USER_NOT_LOGGED_IN = 0x101L;
    public static final long USER_PIN_NOT_INITIALIZED = 0x102L;
    public static final long USER_TYPE_INVALID = 0x103L;
    public static final long USER_ANOTHER_ALREADY_LOGGED_IN = 0x104L;
    public static final long USER_TOO_MANY_TYPES = 0x105L;
    public static final long WRAPPED_KEY_INVALID = 0x110L;
    public static final long WRAPPED_KEY_LEN_RANGE = 0x112L;
    public static final long WRAPPING_KEY_HANDLE_INVALID = 0x113L;
    public static final long WRAPPING_KEY_SIZE_RANGE = 0x114L;
    public static final long WRAPPING_KEY_TYPE_INCONSISTENT = 0x115L;
    public static final long RANDOM_SEED_NOT_SUPPORTED = 0x120L;
    public static final long RANDOM_NO_RNG = 0x121L;
    public static final long DOMAIN_PARAMS_INVALID = 0x130L;
    public static final long CURVE_NOT_SUPPORTED = 0x140L;
    public static final long BUFFER_TOO_SMALL = 0x150L;
    public static final long SAVED_STATE_INVALID = 0x160L;
    public static final long INFORMATION_SENSITIVE = 0x170L;
    public static final long STATE_UNSAVEABLE = 0x180L;
    public static final long CRYPTOKI_NOT_INITIALIZED = 0x190L;
    public static final long CRYPTOKI_ALREADY_INITIALIZED = 0x191L;
    public static final long MUTEX_BAD = 0x1A0L;
    public static final long MUTEX_NOT_LOCKED = 0x1A1L;
    public static final long NEW_PIN_MODE = 0x1B0L;
    public static final long NEXT_OTP = 0x1B1L;
    public static final long EXCEEDED_MAX_ITERATIONS = 0x1C0L;
    public static final long FIPS_SELF_TEST_FAILED = 0x1C1L;
    public static final long LIBRARY_LOAD_FAILED = 0x1C2L;
    public static final long PIN_TOO_WEAK = 0x1C3L;
    public static final long PUBLIC_KEY_INVALID = 0x1C4L;
    public static final long FUNCTION_REJECTED = 0x200L;
    public static final long VENDOR_DEFINED = 0x80000000L;
    public static final long TOKEN_RESOURCE_EXCEEDED = 0x201L;
    public static final long OPERATION_CANCEL_FAILED = 0x202L;
    public static final long KEY_EXHAUSTED = 0x203L;
    /** PKCS#11 3.2 return values. */
    public static final long PENDING = 0x204L;
    public static final long SESSION_ASYNC_NOT_SUPPORTED = 0x205L;
    public static final long SEED_RANDOM_REQUIRED = 0x206L;
    public static final long OPERATION_NOT_VALIDATED = 0x207L;
    public static final long TOKEN_NOT_INITIALIZED = 0x208L;
    public static final long PARAMETER_SET_NOT_SUPPORTED = 0x209L;

    /** The constant's name, e.g. {@code CKR_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKR.class, value);
    }
}
