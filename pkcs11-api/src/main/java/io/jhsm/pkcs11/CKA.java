package io.jhsm.pkcs11;

/** PKCS#11 Attribute types (CK_ATTRIBUTE_TYPE). Values as in the OASIS PKCS#11 3.0 headers. */
public final class CKA {
    private CKA() {}

    public static final long CLASS = 0x0L;
    public static final long TOKEN = 0x1L;
    public static final long PRIVATE = 0x2L;
    public static final long LABEL = 0x3L;
    public static final long APPLICATION = 0x10L;
    public static final long VALUE = 0x11L;
    public static final long OBJECT_ID = 0x12L;
    public static final long CERTIFICATE_TYPE = 0x80L;
    public static final long ISSUER = 0x81L;
    public static final long SERIAL_NUMBER = 0x82L;
    public static final long AC_ISSUER = 0x83L;
    public static final long OWNER = 0x84L;
    public static final long ATTR_TYPES = 0x85L;
    public static final long TRUSTED = 0x86L;
    public static final long CERTIFICATE_CATEGORY = 0x87L;
    public static final long JAVA_MIDP_SECURITY_DOMAIN = 0x88L;
    public static final long URL = 0x89L;
    public static final long HASH_OF_SUBJECT_PUBLIC_KEY = 0x8AL;
    public static final long HASH_OF_ISSUER_PUBLIC_KEY = 0x8BL;
    public static final long NAME_HASH_ALGORITHM = 0x8CL;
    public static final long CHECK_VALUE = 0x90L;
    public static final long KEY_TYPE = 0x100L;
    public static final long SUBJECT = 0x101L;
    public static final long ID = 0x102L;
    public static final long SENSITIVE = 0x103L;
    public static final long ENCRYPT = 0x104L;
    public static final long DECRYPT = 0x105L;
    public static final long WRAP = 0x106L;
    public static final long UNWRAP = 0x107L;
    public static final long SIGN = 0x108L;
    public static final long SIGN_RECOVER = 0x109L;
    public static final long VERIFY = 0x10AL;
    public static final long VERIFY_RECOVER = 0x10BL;
    public static final long DERIVE = 0x10CL;
    public static final long START_DATE = 0x110L;
    public static final long END_DATE = 0x111L;
    public static final long MODULUS = 0x120L;
    public static final long MODULUS_BITS = 0x121L;
    public static final long PUBLIC_EXPONENT = 0x122L;
    public static final long PRIVATE_EXPONENT = 0x123L;
    public static final long PRIME_1 = 0x124L;
    public static final long PRIME_2 = 0x125L;
    public static final long EXPONENT_1 = 0x126L;
    public static final long EXPONENT_2 = 0x127L;
    public static final long COEFFICIENT = 0x128L;
    public static final long PUBLIC_KEY_INFO = 0x129L;
    public static final long PRIME = 0x130L;
    public static final long SUBPRIME = 0x131L;
    public static final long BASE = 0x132L;
    public static final long PRIME_BITS = 0x133L;
    public static final long SUB_PRIME_BITS = 0x134L;
    public static final long VALUE_BITS = 0x160L;
    public static final long VALUE_LEN = 0x161L;
    public static final long EXTRACTABLE = 0x162L;
    public static final long LOCAL = 0x163L;
    public static final long NEVER_EXTRACTABLE = 0x164L;
    public static final long ALWAYS_SENSITIVE = 0x165L;
    public static final long KEY_GEN_MECHANISM = 0x166L;
    public static final long MODIFIABLE = 0x170L;
    public static final long COPYABLE = 0x171L;
    public static final long DESTROYABLE = 0x172L;
    public static final long ECDSA_PARAMS = 0x180L;
    public static final long EC_PARAMS = 0x180L;
    public static final long EC_POINT = 0x181L;
    public static final long SECONDARY_AUTH = 0x200L;
    public static final long AUTH_PIN_FLAGS = 0x201L;
    public static final long ALWAYS_AUTHENTICATE = 0x202L;
    public static final long WRAP_WITH_TRUSTED = 0x210L;
    public static final long OTP_FORMAT = 0x220L;
    public static final long OTP_LENGTH = 0x221L;
    public static final long OTP_TIME_INTERVAL = 0x222L;
    public static final long OTP_USER_FRIENDLY_MODE = 0x223L;
    public static final long OTP_CHALLENGE_REQUIREMENT = 0x224L;
    public static final long OTP_TIME_REQUIREMENT = 0x225L;
    public static final long OTP_COUNTER_REQUIREMENT = 0x226L;
    public static final long OTP_PIN_REQUIREMENT = 0x227L;
    public static final long OTP_USER_IDENTIFIER = 0x22AL;
    public static final long OTP_SERVICE_IDENTIFIER = 0x22BL;
    public static final long OTP_SERVICE_LOGO = 0x22CL;
    public static final long OTP_SERVICE_LOGO_TYPE = 0x22DL;
    public static final long OTP_COUNTER = 0x22EL;
    public static final long OTP_TIME = 0x22FL;
    public static final long GOSTR3410_PARAMS = 0x250L;
    public static final long GOSTR3411_PARAMS = 0x251L;
    public static final long GOST28147_PARAMS = 0x252L;
    public static final long HW_FEATURE_TYPE = 0x300L;
    public static final long RESET_ON_INIT = 0x301L;
    public static final long HAS_RESET = 0x302L;
    public static final long PIXEL_X = 0x400L;
    public static final long PIXEL_Y = 0x401L;
    public static final long RESOLUTION = 0x402L;
    public static final long CHAR_ROWS = 0x403L;
    public static final long CHAR_COLUMNS = 0x404L;
    public static final long COLOR = 0x405L;
    public static final long BITS_PER_PIXEL = 0x406L;
    public static final long CHAR_SETS = 0x480L;
    public static final long ENCODING_METHODS = 0x481L;
    public static final long MIME_TYPES = 0x482L;
    public static final long MECHANISM_TYPE = 0x500L;
    public static final long REQUIRED_CMS_ATTRIBUTES = 0x501L;
    public static final long DEFAULT_CMS_ATTRIBUTES = 0x502L;
    public static final long SUPPORTED_CMS_ATTRIBUTES = 0x503L;
    public static final long WRAP_TEMPLATE = 0x40000211L;
    public static final long UNWRAP_TEMPLATE = 0x40000212L;
    public static final long DERIVE_TEMPLATE = 0x40000213L;
    public static final long ALLOWED_MECHANISMS = 0x40000600L;
    public static final long VENDOR_DEFINED = 0x80000000L;
    public static final long UNIQUE_ID = 0x4L;
    public static final long PROFILE_ID = 0x601L;

    /** PKCS#11 3.2: the post-quantum parameter set (CK_ULONG), the key-generation seed, and the KEM roles. */
    public static final long PARAMETER_SET = 0x61DL;
    public static final long ENCAPSULATE = 0x633L;
    public static final long DECAPSULATE = 0x634L;
    /** PKCS#11 3.2 attribute arrays; unlike the older templates, 3.2 gives them no CKF_ARRAY_ATTRIBUTE bit. */
    public static final long ENCAPSULATE_TEMPLATE = 0x62AL;
    public static final long DECAPSULATE_TEMPLATE = 0x62BL;
    public static final long SEED = 0x637L;

    /** The constant's name, e.g. {@code CKA_...}, or its hex value when unknown. */
    public static String name(long value) {
        return Names.of(CKA.class, value);
    }
}
