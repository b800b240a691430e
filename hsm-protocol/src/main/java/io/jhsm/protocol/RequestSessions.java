package io.jhsm.protocol;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.jhsm.protocol.v1.Request;

/**
 * The session a request names: every argument message of a function on a session has the field
 * {@code session} (uint64), so one rule finds it for all of them.
 */
public final class RequestSessions {
    private RequestSessions() {}

    private static final OneofDescriptor FUNCTION = Request.getDescriptor().getOneofs().get(0);

    /** The field holding the session handle, or null when the function takes none. */
    private static FieldDescriptor sessionField(Request r, FieldDescriptor function) {
        if (function == null || function.getType() != FieldDescriptor.Type.MESSAGE) {
            return null;
        }
        return function.getMessageType().findFieldByName("session");
    }

    public static boolean hasSession(Request r) {
        return sessionField(r, r.getOneofFieldDescriptor(FUNCTION)) != null;
    }

    /** The session handle (only when {@link #hasSession}). */
    public static long session(Request r) {
        FieldDescriptor function = r.getOneofFieldDescriptor(FUNCTION);
        return (Long) ((Message) r.getField(function)).getField(sessionField(r, function));
    }

    /** The same request naming another session handle. */
    public static Request withSession(Request r, long session) {
        FieldDescriptor function = r.getOneofFieldDescriptor(FUNCTION);
        Message args = (Message) r.getField(function);
        return r.toBuilder().setField(function, args.toBuilder().setField(sessionField(r, function), session).build()).build();
    }
}
