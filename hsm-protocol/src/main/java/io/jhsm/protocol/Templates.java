package io.jhsm.protocol;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.protocol.v1.AttributeValue;
import io.jhsm.protocol.v1.AttributeValues;
import io.jhsm.protocol.v1.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * Attribute templates (nested ones included) and C_GetAttributeValue's readings. A value that is
 * absent on the wire is pValue NULL (null), which is not the same as an empty value.
 */
public final class Templates {
    private Templates() {}

    public static List<io.jhsm.protocol.v1.Attribute> toProto(List<Attribute> template) {
        List<io.jhsm.protocol.v1.Attribute> out = new ArrayList<>(template.size());
        for (Attribute a : template) {
            io.jhsm.protocol.v1.Attribute.Builder b = io.jhsm.protocol.v1.Attribute.newBuilder().setType(a.type());
            if (a.template() != null) {
                b.setTemplate(Template.newBuilder().addAllAttributes(toProto(a.template())));
            } else if (a.value() != null) {
                b.setValue(WireBytes.of(a.value()));
            }
            out.add(b.build());
        }
        return out;
    }

    public static List<Attribute> fromProto(List<io.jhsm.protocol.v1.Attribute> template) {
        List<Attribute> out = new ArrayList<>(template.size());
        for (io.jhsm.protocol.v1.Attribute a : template) {
            out.add(switch (a.getContentCase()) {
                case TEMPLATE -> Attribute.ofTemplate(a.getType(), fromProto(a.getTemplate().getAttributesList()));
                case VALUE -> Attribute.of(a.getType(), a.getValue().toByteArray());
                case CONTENT_NOT_SET -> Attribute.of(a.getType(), (byte[]) null);
            });
        }
        return out;
    }

    public static AttributeValues readingsToProto(List<AttributeReading> readings) {
        AttributeValues.Builder out = AttributeValues.newBuilder();
        for (AttributeReading r : readings) {
            AttributeValue.Builder b = AttributeValue.newBuilder().setType(r.type()).setRv(r.rv());
            if (r.template() != null) {
                b.setTemplate(Template.newBuilder().addAllAttributes(toProto(r.template())));
            } else if (r.value() != null) {
                b.setValue(WireBytes.of(r.value()));
            }
            out.addValues(b);
        }
        return out.build();
    }

    public static List<AttributeReading> readingsFromProto(AttributeValues values) {
        List<AttributeReading> out = new ArrayList<>(values.getValuesCount());
        for (AttributeValue v : values.getValuesList()) {
            out.add(switch (v.getContentCase()) {
                case TEMPLATE -> new AttributeReading(v.getType(), v.getRv(), null, fromProto(v.getTemplate().getAttributesList()));
                case VALUE -> new AttributeReading(v.getType(), v.getRv(), v.getValue().toByteArray(), null);
                case CONTENT_NOT_SET -> new AttributeReading(v.getType(), v.getRv(), null, null);
            });
        }
        return out;
    }
}
