package io.jhsm.conformance.abi;

import static io.jhsm.conformance.abi.FunctionList.C_GetAttributeValue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.CkException;
import java.util.ArrayList;
import java.util.List;

/**
 * C_GetAttributeValue with the two-call protocol, one attribute at a time: the CK_RV of a batch call
 * names only one failing attribute, so asking singly is the only way to give each reading its own
 * CKR_ATTRIBUTE_SENSITIVE or CKR_ATTRIBUTE_TYPE_INVALID, as {@link AttributeReading} promises.
 */
final class AttributeReader {
    private static final int ATT = Structs.ATTRIBUTE_SIZE;
    private final FunctionList f;

    AttributeReader(FunctionList f) {
        this.f = f;
    }

    List<AttributeReading> read(long hSession, long hObject, long[] types) {
        List<AttributeReading> out = new ArrayList<>(types.length);
        for (long type : types) {
            out.add(readOne(hSession, hObject, type));
        }
        return out;
    }

    private AttributeReading readOne(long hSession, long hObject, long type) {
        Structs s = new Structs();
        Memory a = s.alloc(ATT);
        a.setLong(0, type);
        long rv = f.call(C_GetAttributeValue, hSession, hObject, a, 1L);
        if (rv == CKR.ATTRIBUTE_SENSITIVE || rv == CKR.ATTRIBUTE_TYPE_INVALID) {
            return AttributeReading.unavailable(type, rv);
        }
        check(rv);
        long len = a.getLong(16);
        if (len == Ck.UNAVAILABLE_INFORMATION) {
            return AttributeReading.unavailable(type, CKR.ATTRIBUTE_TYPE_INVALID);
        }
        if (Attribute.isTemplateType(type)) {
            return AttributeReading.ofTemplate(type, nested(hSession, hObject, type, (int) (len / ATT)));
        }
        Memory value = s.alloc(len);
        a.setPointer(8, value);
        check(f.call(C_GetAttributeValue, hSession, hObject, a, 1L));
        return AttributeReading.of(type, value.getByteArray(0, (int) a.getLong(16)));
    }

    /** An attribute array: one call for the inner types and lengths, one for the inner values. */
    private List<Attribute> nested(long hSession, long hObject, long type, int n) {
        Structs s = new Structs();
        Memory a = s.alloc(ATT);
        a.setLong(0, type);
        Memory inner = s.alloc((long) ATT * n);
        a.setPointer(8, inner);
        a.setLong(16, (long) ATT * n);
        check(f.call(C_GetAttributeValue, hSession, hObject, a, 1L));
        for (int i = 0; i < n; i++) {
            inner.setPointer((long) ATT * i + 8, s.alloc(inner.getLong((long) ATT * i + 16)));
        }
        check(f.call(C_GetAttributeValue, hSession, hObject, a, 1L));
        List<Attribute> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Pointer v = inner.getPointer((long) ATT * i + 8);
            out.add(Attribute.of(inner.getLong((long) ATT * i), v.getByteArray(0, (int) inner.getLong((long) ATT * i + 16))));
        }
        return out;
    }

    static void check(long rv) {
        if (rv != CKR.OK) {
            throw new CkException(rv);
        }
    }
}
