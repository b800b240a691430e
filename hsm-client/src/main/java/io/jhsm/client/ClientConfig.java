package io.jhsm.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How a client reaches its HSMs, read from the {@code JHSM_CONF} file when it names {@code hsms}
 * instead of a {@code directory}:
 * <pre>
 * hsms = 127.0.0.1:2223[,host:port…]
 * hsm-ca-cert = customerCA.crt        # the cluster's trust anchor: verifies every HSM's certificate
 * client-cert = client.crt            # optional: mutual TLS (cluster mtls)
 * client-key = client.key             # PKCS#8 PEM, unencrypted
 * connect-timeout-ms = 10000        # counts from C_Initialize: a cold client loads Netty and TLS in it
 * call-timeout-ms = 30000
 * discovery = on                     # off: only the HSMs listed in hsms
 * retry-mode = standard              # off: a throttled call (HSM error 0xBB) is answered at once
 * disable-key-availability-check = false
 * session-placement = application    # session: each new session on the least-loaded HSM (see below)
 * </pre>
 * {@code session-placement}: {@code application} (default) opens every session of an application on one HSM, the
 * least loaded when its first session opens (another one only when that HSM is lost), so its session objects and
 * its own writes are visible to all its sessions, as PKCS#11 requires; load spreads across applications.
 * {@code session} spreads an application's sessions over the HSMs too: more throughput for one process, but a
 * session object (CloudHSM: session keys exist on one HSM only) is then usable only by the sessions on its HSM.
 * Relative paths are resolved against the file's directory.
 */
public record ClientConfig(List<HostAndPort> hsms, Path hsmCaCert, Path clientCert, Path clientKey,
                           Duration connectTimeout, Duration callTimeout, boolean discovery, RetryMode retryMode,
                           boolean keyAvailabilityCheck, boolean spreadSessions) {
    public static final String ENV = "JHSM_CONF";
    public static final int DEFAULT_PORT = 2223;

    /** CloudHSM's client retry strategy for throttled calls (SDK 5.8.0+, {@code --default-retry-mode}). */
    public enum RetryMode {
        /** Up to 3 retries with exponential backoff (CloudHSM's default). */
        STANDARD,
        /** The throttled answer goes to the application at once. */
        OFF
    }

    /** Today's keys only: discovery on, retry-mode standard, the key-availability check on. */
    public ClientConfig(List<HostAndPort> hsms, Path hsmCaCert, Path clientCert, Path clientKey, Duration connectTimeout,
                        Duration callTimeout) {
        this(hsms, hsmCaCert, clientCert, clientKey, connectTimeout, callTimeout, true, RetryMode.STANDARD, true, false);
    }

    public ClientConfig withDiscovery(boolean on) {
        return new ClientConfig(hsms, hsmCaCert, clientCert, clientKey, connectTimeout, callTimeout, on, retryMode, keyAvailabilityCheck, spreadSessions);
    }

    public ClientConfig withRetryMode(RetryMode mode) {
        return new ClientConfig(hsms, hsmCaCert, clientCert, clientKey, connectTimeout, callTimeout, discovery, mode, keyAvailabilityCheck, spreadSessions);
    }

    /** {@code check} false: every Cryptoki call carries {@code jhsm-key-availability-check: off}. */
    public ClientConfig withKeyAvailabilityCheck(boolean check) {
        return new ClientConfig(hsms, hsmCaCert, clientCert, clientKey, connectTimeout, callTimeout, discovery, retryMode, check,
                spreadSessions);
    }

    /** {@code spread} true: {@code session-placement = session}, an application's sessions spread over the HSMs. */
    public ClientConfig withSpreadSessions(boolean spread) {
        return new ClientConfig(hsms, hsmCaCert, clientCert, clientKey, connectTimeout, callTimeout, discovery, retryMode,
                keyAvailabilityCheck, spread);
    }

    public ClientConfig {
        if (retryMode == null) {
            throw new IllegalArgumentException("retry-mode is standard or off");
        }
        if (hsms == null || hsms.isEmpty()) {
            throw new IllegalArgumentException("hsms names no HSM");
        }
        hsms = List.copyOf(hsms);
        if (hsmCaCert == null) {
            throw new IllegalArgumentException("hsm-ca-cert is required with hsms: the trust anchor that verifies the HSMs");
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("client-cert and client-key go together");
        }
    }

    /** One HSM's address. */
    public record HostAndPort(String host, int port) {
        public static HostAndPort parse(String text) {
            return parse(text, 1);
        }

        /** An address to listen on: as {@link #parse}, and port 0 asks for any free port. */
        public static HostAndPort parseListen(String text) {
            return parse(text, 0);
        }

        private static HostAndPort parse(String text, int lowestPort) {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon < 0 || t.endsWith("]")) {
                return new HostAndPort(unbracket(t), DEFAULT_PORT);
            }
            try {
                int port = Integer.parseInt(t.substring(colon + 1));
                if (port < lowestPort || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostAndPort(unbracket(t.substring(0, colon)), port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not HOST:PORT: " + text);
            }
        }

        private static String unbracket(String h) {
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** True when {@code JHSM_CONF} names HSMs on the network (the file is read only for this key). */
    public static boolean networkMode(Map<String, String> env) {
        String file = env.get(ENV);
        if (file == null || file.isBlank()) {
            return false;
        }
        try {
            return strip(read(Path.of(file)).getProperty("hsms")) != null;
        } catch (IllegalStateException e) {
            return false; // the local configuration reports an unreadable file with its own message
        }
    }

    public static ClientConfig fromEnvironment(Map<String, String> env) {
        String file = env.get(ENV);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException(ENV + " is not set: network mode needs a file naming hsms and hsm-ca-cert");
        }
        return load(Path.of(file));
    }

    public static ClientConfig load(Path file) {
        Properties p = read(file);
        Path base = file.toAbsolutePath().getParent();
        String hsms = strip(p.getProperty("hsms"));
        if (hsms == null) {
            throw new IllegalStateException(file + ": no hsms = HOST:PORT[,HOST:PORT…]");
        }
        List<HostAndPort> list = new ArrayList<>();
        try {
            for (String h : hsms.split(",")) {
                if (!h.isBlank()) {
                    list.add(HostAndPort.parse(h));
                }
            }
            return new ClientConfig(list, path(base, p, "hsm-ca-cert"), path(base, p, "client-cert"),
                    path(base, p, "client-key"), millis(file, p, "connect-timeout-ms", 10_000),
                    millis(file, p, "call-timeout-ms", 30_000), choice(p, "discovery", "on", "on", "off").equals("on"),
                    RetryMode.valueOf(choice(p, "retry-mode", "standard", "standard", "off").toUpperCase(java.util.Locale.ROOT)),
                    choice(p, "disable-key-availability-check", "false", "false", "true").equals("false"),
                    choice(p, "session-placement", "application", "application", "session").equals("session"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    private static Path path(Path base, Properties p, String key) {
        String v = strip(p.getProperty(key));
        return v == null ? null : base.resolve(v).normalize();
    }

    /** The key's value, one of {@code allowed} (case-insensitive), or {@code dflt} when absent. */
    private static String choice(Properties p, String key, String dflt, String... allowed) {
        String v = strip(p.getProperty(key));
        if (v == null) {
            return dflt;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException(key + " must be " + String.join(" or ", allowed) + ", got " + v);
    }

    private static Duration millis(Path file, Properties p, String key, long dflt) {
        String v = strip(p.getProperty(key));
        if (v == null) {
            return Duration.ofMillis(dflt);
        }
        try {
            long ms = Long.parseLong(v);
            if (ms <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive number of milliseconds, got " + v);
        }
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(ENV + " file " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + ENV + " file " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** As the local configuration: "x   # comment" reads as x. */
    private static String strip(String value) {
        if (value == null) {
            return null;
        }
        int hash = value.indexOf(" #");
        String v = (hash >= 0 ? value.substring(0, hash) : value).trim();
        return v.isEmpty() ? null : v;
    }
}
