package io.jhsm.node;

import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.protocol.Templates;
import io.jhsm.protocol.v1.GetAttributeValue;
import io.jhsm.protocol.v1.Response;
import io.jhsm.protocol.v1.SessionNumber;

/** Object management (the engine's object family). */
final class ObjectCalls {
    private ObjectCalls() {}

    static Response.Builder create(Cryptoki e, io.jhsm.protocol.v1.CreateObject r) {
        return Replies.number(e.C_CreateObject(r.getSession(), Templates.fromProto(r.getTemplateList())));
    }

    static Response.Builder copy(Cryptoki e, io.jhsm.protocol.v1.CopyObject r) {
        return Replies.number(e.C_CopyObject(r.getSession(), r.getObject(), Templates.fromProto(r.getTemplateList())));
    }

    static Response.Builder getAttributeValue(Cryptoki e, GetAttributeValue r) {
        long[] types = r.getTypesList().stream().mapToLong(Long::longValue).toArray();
        return Response.newBuilder().setAttributeValues(
                Templates.readingsToProto(e.C_GetAttributeValue(r.getSession(), r.getObject(), types)));
    }

    static Response.Builder setAttributeValue(Cryptoki e, io.jhsm.protocol.v1.SetAttributeValue r) {
        e.C_SetAttributeValue(r.getSession(), r.getObject(), Templates.fromProto(r.getTemplateList()));
        return Replies.none();
    }

    static Response.Builder findObjects(Cryptoki e, SessionNumber r) {
        long max = r.getNumber();
        int count = max < 0 || max > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) max;
        return Replies.handles(e.C_FindObjects(r.getSession(), count));
    }
}
