package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import java.util.List;

/**
 * C_GetAttributeValue's per-attribute protocol (PKCS#11 3.0, 5.7): every attribute of the template
 * is processed even when another fails; unavailable ones get CK_UNAVAILABLE_INFORMATION; the call
 * returns one of the per-attribute errors (the first met) or CKR_OK. An attribute array is filled
 * entry by entry into the caller's nested CK_ATTRIBUTE array with the same rules.
 */
final class AttributeValueWriter {
    private AttributeValueWriter() {}

    static long getAttributeValue(Cryptoki engine, long hSession, long hObject, long pTemplate, long ulCount) {
        int n = TemplateCodec.count(pTemplate, ulCount);
        long[] types = new long[n];
        for (int i = 0; i < n; i++) {
            types[i] = entry(pTemplate, i).getLong(TemplateCodec.OFF_TYPE);
        }
        List<AttributeReading> readings = engine.C_GetAttributeValue(hSession, hObject, types);
        if (readings.size() != n) {
            throw new IllegalStateException("engine returned " + readings.size() + " readings for " + n + " types");
        }
        long rv = CKR.OK;
        for (int i = 0; i < n; i++) {
            long one = write(entry(pTemplate, i), readings.get(i));
            rv = rv == CKR.OK ? one : rv;
        }
        return rv;
    }

    private static Pointer entry(long pTemplate, int i) {
        return NativeMem.at(pTemplate + (long) i * TemplateCodec.ATTRIBUTE_SIZE);
    }

    private static long write(Pointer attr, AttributeReading r) {
        if (!r.available()) {
            attr.setLong(TemplateCodec.OFF_LEN, Ck.UNAVAILABLE_INFORMATION);
            return r.rv();
        }
        if (r.template() != null) {
            return writeArray(attr, r.template());
        }
        return writeValue(attr, r.value());
    }

    private static long writeValue(Pointer attr, byte[] value) {
        long pValue = attr.getLong(TemplateCodec.OFF_VALUE);
        if (pValue != 0) {
            if (Long.compareUnsigned(attr.getLong(TemplateCodec.OFF_LEN), value.length) < 0) {
                attr.setLong(TemplateCodec.OFF_LEN, Ck.UNAVAILABLE_INFORMATION);
                return CKR.BUFFER_TOO_SMALL;
            }
            NativeMem.write(pValue, value, value.length);
        }
        attr.setLong(TemplateCodec.OFF_LEN, value.length);
        return CKR.OK;
    }

    private static long writeArray(Pointer attr, List<Attribute> template) {
        long needed = (long) template.size() * TemplateCodec.ATTRIBUTE_SIZE;
        long pValue = attr.getLong(TemplateCodec.OFF_VALUE);
        if (pValue == 0) {
            attr.setLong(TemplateCodec.OFF_LEN, needed);
            return CKR.OK;
        }
        if (Long.compareUnsigned(attr.getLong(TemplateCodec.OFF_LEN), needed) < 0) {
            attr.setLong(TemplateCodec.OFF_LEN, Ck.UNAVAILABLE_INFORMATION);
            return CKR.BUFFER_TOO_SMALL;
        }
        long rv = CKR.OK;
        for (int i = 0; i < template.size(); i++) {
            Attribute a = template.get(i);
            if (a.template() != null) {
                throw new CkException(CKR.GENERAL_ERROR, "nested attribute arrays are not representable");
            }
            Pointer nested = entry(pValue, i);
            nested.setLong(TemplateCodec.OFF_TYPE, a.type());
            long one = writeValue(nested, a.value());
            rv = rv == CKR.OK ? one : rv;
        }
        attr.setLong(TemplateCodec.OFF_LEN, needed);
        return rv;
    }
}
