package io.jhsm.cli;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Json;
import io.jhsm.pkcs11.CkException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every command shares: output streams, the environment, the configuration and the result printer. */
final class Ctx {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    Ctx(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Commands extend this to receive the context from Main's factory. */
    abstract static class Aware {
        private Ctx ctx;

        void ctx(Ctx c) {
            this.ctx = c;
        }

        Ctx ctx() {
            return ctx;
        }
    }

    PrintStream err() {
        return err;
    }

    PrintStream out() {
        return out;
    }

    String env(String name) {
        return env.get(name);
    }

    Config config() {
        return Config.fromEnvironment(env);
    }

    Path tokenDirectory(int slot) {
        return config().tokenDirectory(slot);
    }

    CloudHsm open(int slot) {
        return CloudHsm.open(tokenDirectory(slot));
    }

    /** Prints a result: CloudHSM CLI's {"error_code":0,"data":...} with --json, plain lines otherwise. */
    void print(boolean json, Object data) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error_code", 0L);
            m.put("data", data);
            out.println(Json.write(m));
        } else {
            printPlain(data, "");
        }
    }

    private void printPlain(Object data, String indent) {
        if (data instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Map || e.getValue() instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
                    out.println(indent + e.getKey() + ":");
                    printPlain(e.getValue(), indent + "  ");
                } else {
                    out.println(indent + e.getKey() + ": " + (e.getValue() instanceof List ? Json.write(e.getValue()) : e.getValue()));
                }
            }
        } else if (data instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map) {
                    out.println(indent + "-");
                    printPlain(o, indent + "  ");
                } else {
                    out.println(indent + o);
                }
            }
        } else if (data != null) {
            out.println(indent + data);
        }
    }

    /** A failed command: the message on stderr (and as JSON on stdout with --json), and its exit status. */
    int fail(Exception e) {
        int status = Main.exitStatus(e);
        String message = e instanceof HsmException || e instanceof CkException ? e.getMessage() : e.toString();
        if (status == 1 && !(e instanceof HsmException)) {
            message = "internal error: " + message;
        }
        err.println("jhsm: " + message);
        if (Boolean.TRUE.equals(JSON.get())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error_code", (long) status);
            m.put("data", message);
            out.println(Json.write(m));
        }
        return status;
    }

    /** Whether the running command asked for --json (read when it fails). */
    static final ThreadLocal<Boolean> JSON = new ThreadLocal<>();
}
