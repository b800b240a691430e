package io.jhsm.cli;

import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.engine.object.CheckValue;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ulong;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** CloudHSM CLI attribute names (label, sign, extractable …) and how keys are shown by key list. */
final class KeyAttributes {
    private KeyAttributes() {}

    static final Map<String, Long> BOOLEANS = Map.ofEntries(Map.entry("sign", CKA.SIGN), Map.entry("verify", CKA.VERIFY),
            Map.entry("encrypt", CKA.ENCRYPT), Map.entry("decrypt", CKA.DECRYPT), Map.entry("wrap", CKA.WRAP),
            Map.entry("unwrap", CKA.UNWRAP), Map.entry("extractable", CKA.EXTRACTABLE), Map.entry("sensitive", CKA.SENSITIVE),
            Map.entry("derive", CKA.DERIVE), Map.entry("token", CKA.TOKEN), Map.entry("trusted", CKA.TRUSTED),
            Map.entry("wrap-with-trusted", CKA.WRAP_WITH_TRUSTED), Map.entry("private", CKA.PRIVATE));

    /** One name=value: a boolean attribute, label or id. */
    static Attribute parse(String name, String value) {
        Long b = BOOLEANS.get(name);
        if (b != null) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new HsmException(HsmException.Code.BAD_INPUT, name + " is true or false");
            }
            return Attribute.of(b, Boolean.parseBoolean(value));
        }
        return switch (name) {
            case "label" -> Attribute.of(CKA.LABEL, value);
            case "id" -> Attribute.of(CKA.ID, value.getBytes(StandardCharsets.UTF_8));
            default -> throw new HsmException(HsmException.Code.BAD_INPUT, "unknown attribute '" + name + "' (label, id, "
                    + String.join(", ", new java.util.TreeSet<>(BOOLEANS.keySet())) + ")");
        };
    }

    static final long[] SHOWN = {CKA.CLASS, CKA.KEY_TYPE, CKA.LABEL, CKA.ID, JhsmAttributes.OWNER, JhsmAttributes.SHARED_WITH,
            CKA.CHECK_VALUE, CKA.MODULUS, CKA.EC_POINT, JhsmAttributes.MANAGE_QUORUM, JhsmAttributes.USE_QUORUM,
            CKA.TOKEN, CKA.TRUSTED, CKA.EXTRACTABLE, CKA.SENSITIVE, CKA.SIGN, CKA.VERIFY, CKA.ENCRYPT, CKA.DECRYPT,
            CKA.WRAP, CKA.UNWRAP, CKA.WRAP_WITH_TRUSTED};

    static Map<String, Object> describe(long handle, java.util.List<AttributeReading> r) {
        Map<Long, byte[]> v = new LinkedHashMap<>();
        for (AttributeReading a : r) {
            if (a.rv() == CKR.OK && a.value() != null && a.value().length > 0) {
                v.put(a.type(), a.value());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key-reference", handle);
        long cls = v.containsKey(CKA.CLASS) ? Ulong.decode(v.get(CKA.CLASS)) : -1;
        m.put("class", cls == CKO.SECRET_KEY ? "secret-key" : cls == CKO.PUBLIC_KEY ? "public-key" : cls == CKO.PRIVATE_KEY ? "private-key" : "other");
        if (v.containsKey(CKA.KEY_TYPE)) {
            m.put("key-type", CKK.name(Ulong.decode(v.get(CKA.KEY_TYPE))).replace("CKK_", "").toLowerCase().replace('_', '-'));
        }
        m.put("label", text(v.get(CKA.LABEL)));
        m.put("owner", text(v.get(JhsmAttributes.OWNER)));
        m.put("shared-users", java.util.List.copyOf(KeyPolicy.decode(v.get(JhsmAttributes.SHARED_WITH))));
        byte[] kcv = v.get(CKA.CHECK_VALUE);
        byte[] pub = v.containsKey(CKA.MODULUS) ? v.get(CKA.MODULUS) : v.get(CKA.EC_POINT);
        if ((kcv == null || kcv.length == 0) && pub != null && cls == CKO.PUBLIC_KEY) {
            kcv = CheckValue.ofPublicKey(pub);
        }
        m.put("check-value", kcv == null || kcv.length == 0 ? "" : "0x" + HexFormat.of().formatHex(kcv));
        m.put("manage-key-quorum-value", v.containsKey(JhsmAttributes.MANAGE_QUORUM) ? Ulong.decode(v.get(JhsmAttributes.MANAGE_QUORUM)) : 0L);
        m.put("use-key-quorum-value", v.containsKey(JhsmAttributes.USE_QUORUM) ? Ulong.decode(v.get(JhsmAttributes.USE_QUORUM)) : 0L);
        for (Map.Entry<String, Long> e : BOOLEANS.entrySet()) {
            byte[] b = v.get(e.getValue());
            if (b != null && b.length == 1) {
                m.put(e.getKey(), b[0] != 0);
            }
        }
        return m;
    }

    static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }
}
