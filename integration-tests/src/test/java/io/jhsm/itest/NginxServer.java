package io.jhsm.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Debian's nginx as a TLS terminator whose private keys stay in the HSM (libp11's engine, {@code ssl_engine pkcs11},
 * {@code ssl_certificate_key engine:pkcs11:URI}), owned by the test: {@code daemon off} with a master and 2 workers,
 * everything (configuration, pid, logs, temp paths) below {@code dir}, loopback ports only. Each request is a full
 * handshake (no keep-alive, no session resumption), so each one makes the HSM sign. {@link #close()} stops nginx
 * (SIGQUIT, then SIGKILL after a bound) and reports any process left.
 */
final class NginxServer implements AutoCloseable {
    static final int WORKERS = 2;
    static final Duration START = Duration.ofMinutes(2);
    static final Duration QUIT = Duration.ofSeconds(30);
    /** The workers' user when the test runs as root (Debian's nobody; a distribution's nginx uses www-data). */
    static final String WORKER_USER = "nobody nogroup";

    /** One HTTPS server block: its port, certificate and the engine URI of its private key. */
    record Site(String name, int port, Path certificate, String keyUri) { }

    private final Path dir;
    private final Background master;

    private NginxServer(Path dir, Background master) {
        this.dir = dir;
        this.master = master;
    }

    /** Writes nginx.conf for {@code sites} and starts nginx with {@code env} (JHSM_CONF, OPENSSL_CONF); returns once its workers run. */
    static NginxServer start(Path dir, Map<String, String> env, List<Site> sites) {
        try {
            for (String temp : List.of("logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi")) {
                Files.createDirectories(dir.resolve(temp));
            }
            Files.writeString(dir.resolve("nginx.conf"), conf(dir, sites));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cmd cmd = Cmd.of("nginx", "-e", dir.resolve("logs/error.log").toString(), "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString()).env(env).in(dir);
        NginxServer nginx = new NginxServer(dir, Background.start("nginx", cmd, dir.resolve("nginx.out")));
        nginx.awaitWorkers();
        return nginx;
    }

    private static String conf(Path dir, List<Site> sites) {
        StringBuilder servers = new StringBuilder();
        for (Site s : sites) {
            servers.append("""
                      server {
                        listen 127.0.0.1:%d ssl reuseport;
                        ssl_certificate %s;
                        ssl_certificate_key "engine:pkcs11:%s";
                        location / { return 200 "%s\\n"; }
                      }
                    """.formatted(s.port(), s.certificate(), s.keyUri(), s.name()));
        }
        // Started as root, nginx runs its workers as an unprivileged user, as deployed: the worker's C_Initialize
        // then reads JHSM_CONF's files as that user (the caller makes them readable: WORKER_USER).
        String user = runsAsRoot() ? "user " + WORKER_USER + ";\n" : "";
        return """
                worker_processes %d;
                master_process on;
                daemon off;
                %spid %s;
                error_log %s info;
                # nginx clears its workers' environment: the client library in each worker needs JHSM_CONF.
                env JHSM_CONF;
                ssl_engine pkcs11;
                events { worker_connections 64; }
                http {
                  log_format served '$pid $server_port $status';
                  access_log %s served;
                  client_body_temp_path %s;
                  proxy_temp_path %s;
                  fastcgi_temp_path %s;
                  uwsgi_temp_path %s;
                  scgi_temp_path %s;
                  # One full handshake, so one signature in the HSM, per request.
                  keepalive_timeout 0;
                  ssl_session_cache off;
                  ssl_session_tickets off;
                %s}
                """.formatted(WORKERS, user, dir.resolve("nginx.pid"), errorLog(dir), dir.resolve("logs/access.log"),
                dir.resolve("tmp/body"), dir.resolve("tmp/proxy"), dir.resolve("tmp/fastcgi"), dir.resolve("tmp/uwsgi"),
                dir.resolve("tmp/scgi"), servers);
    }

    static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Lets the workers' user read {@code files} (the client's JHSM_CONF and the files it names): each becomes
     * world-readable and each directory above it, up to {@code top}, traversable. Secrets the master alone reads
     * (the OpenSSL configuration with the PIN) stay its own.
     */
    static void readableByWorkers(Path top, Path... files) {
        try {
            for (Path f : files) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
                for (Path d = f.getParent(); d != null && d.startsWith(top); d = d.getParent()) {
                    Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(d));
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(d, perms);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path errorLog(Path dir) {
        return dir.resolve("logs/error.log");
    }

    private void awaitWorkers() {
        long deadline = System.nanoTime() + START.toNanos();
        while (workerPids().size() < WORKERS || countStarted() < WORKERS) {
            if (!master.isAlive() || System.nanoTime() > deadline) {
                String why = "nginx did not start its " + WORKERS + " workers" + (master.isAlive() ? " in " + START.toSeconds() + " s" : "")
                        + ":\n" + errorLogText();
                try {
                    close();
                } catch (AssertionError stopping) {
                    why += "\n" + stopping.getMessage();
                }
                throw new AssertionError(why);
            }
            NetworkNode.sleep(100);
        }
    }

    private long countStarted() {
        return errorLogText().lines().filter(l -> l.contains("start worker process ")).count();
    }

    long masterPid() {
        return master.pid();
    }

    /** The master's live children: its worker processes. */
    Set<Long> workerPids() {
        return ProcessHandle.of(master.pid()).stream().flatMap(ProcessHandle::children).filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid).collect(Collectors.toCollection(TreeSet::new));
    }

    String errorLogText() {
        return read(errorLog(dir)) + read(dir.resolve("nginx.out"));
    }

    /** The access log's lines ("PID PORT STATUS"). */
    List<String> accessLog() {
        return read(dir.resolve("logs/access.log")).lines().toList();
    }

    /** SIGQUIT (graceful), SIGKILL for whatever is left after {@link #QUIT}; throws if a process had to be killed or survived. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(master.pid()).ifPresent(p -> {
            all.add(p);
            p.descendants().forEach(all::add);
        });
        List<String> problems = new ArrayList<>();
        if (master.isAlive()) {
            Cmd.of("kill", "-QUIT", Long.toString(master.pid())).timeout(Duration.ofSeconds(10)).run();
            if (!master.awaitExit(QUIT)) problems.add("nginx did not quit within " + QUIT.toSeconds() + " s of SIGQUIT: killed");
        }
        master.close();
        for (ProcessHandle p : all) {
            p.onExit().completeOnTimeout(p, 10, java.util.concurrent.TimeUnit.SECONDS).join();
            if (p.isAlive()) {
                p.destroyForcibly();
                problems.add("nginx process " + p.pid() + " outlived its master: killed");
            }
        }
        if (!problems.isEmpty()) throw new AssertionError(String.join("\n", problems) + "\n" + errorLogText());
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }
}
