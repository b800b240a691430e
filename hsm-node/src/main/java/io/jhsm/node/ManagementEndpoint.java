package io.jhsm.node;

import com.google.protobuf.ByteString;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jhsm.engine.config.Config;
import io.jhsm.protocol.v1.CommandRequest;
import io.jhsm.protocol.v1.CommandResponse;
import io.jhsm.protocol.v1.DescribeRequest;
import io.jhsm.protocol.v1.FaultRequest;
import io.jhsm.protocol.v1.FaultState;
import io.jhsm.protocol.v1.FileContent;
import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.ListHsmsRequest;
import io.jhsm.protocol.v1.ManagementGrpc;
import io.jhsm.protocol.v1.MembershipChange;
import io.jhsm.protocol.v1.MetricsRequest;
import io.jhsm.protocol.v1.MetricsResponse;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Management service: CLI commands run on this HSM (as CloudHSM CLI's commands run on the HSM), and
 * the node's description for {@code cluster status}.
 *
 * <p>{@code Run} gives each command a scratch directory of its own: the request's input files are written
 * there under the names the client put in the arguments, the command runs with that directory as its
 * working directory (the runner keeps its paths inside it), the files named by {@code output_paths} are
 * read back, and the directory is deleted. The command sees only CLOUDHSM_PIN/CLOUDHSM_ROLE from the
 * request, the node's own configuration (JHSM_CONF written for this node's directory) and the node's
 * JHSM_BACKUP_DIR. Its arguments hold passwords: they are never logged, only the command's name.
 */
public final class ManagementEndpoint implements NodeEndpoint {
    /** What a command may print on each stream, and the most its output files may hold together. */
    static final int MAX_STREAM_BYTES = 1 << 20;
    static final long MAX_OUTPUT_BYTES = 16L << 20;
    static final int MAX_FILES = 64;
    /** Commands run at once; more wait (bounded) then get RESOURCE_EXHAUSTED. */
    static final int MAX_CONCURRENT = 4;
    private static final List<String> FROM_REQUEST = List.of("CLOUDHSM_PIN", "CLOUDHSM_ROLE");

    private final Config config;
    private final CommandRunner runner;
    private final Supplier<NodeDescription> description;
    private final Membership membership;
    private final String backupDirectory;
    private final Semaphore running = new Semaphore(MAX_CONCURRENT);
    private final Faults faults;
    private final Supplier<MetricsResponse> metrics;

    /** A standalone HSM's endpoint: it lists itself only. */
    public ManagementEndpoint(Config config, CommandRunner runner, Supplier<NodeDescription> description) {
        this(config, runner, description, Membership.STANDALONE, null, null);
    }

    /**
     * With the node's membership (ListHsms, ChangeMembership), faults (SetFault) and metrics (Metrics); null faults
     * or metrics: that RPC answers UNIMPLEMENTED.
     */
    public ManagementEndpoint(Config config, CommandRunner runner, Supplier<NodeDescription> description, Membership membership,
                              Faults faults, Supplier<MetricsResponse> metrics) {
        this.faults = faults;
        this.metrics = metrics;
        this.config = config;
        this.runner = runner;
        this.description = description;
        this.membership = membership;
        this.backupDirectory = System.getenv("JHSM_BACKUP_DIR");
    }

    @Override
    public List<ServerServiceDefinition> services() {
        return List.of(new Service().bindService());
    }

    private final class Service extends ManagementGrpc.ManagementImplBase {
        @Override
        public void run(CommandRequest request, StreamObserver<CommandResponse> response) {
            try {
                if (!running.tryAcquire(30, TimeUnit.SECONDS)) {
                    response.onError(Status.RESOURCE_EXHAUSTED
                            .withDescription("the HSM runs " + MAX_CONCURRENT + " management commands already; try again").asRuntimeException());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.onError(Status.CANCELLED.asRuntimeException());
                return;
            }
            try {
                response.onNext(execute(request));
                response.onCompleted();
            } catch (IllegalArgumentException e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            } catch (RuntimeException e) {
                System.err.println("jhsm hsm: management command " + commandName(request.getArgsList()) + " failed: " + e
                        + " (the node keeps serving; report this with the node's log)");
                response.onError(Status.INTERNAL.withDescription("the HSM could not run the command: " + e.getMessage()).asRuntimeException());
            } finally {
                running.release();
            }
        }

        @Override
        public void describe(DescribeRequest request, StreamObserver<NodeDescription> response) {
            response.onNext(description.get());
            response.onCompleted();
        }

        @Override
        public void listHsms(ListHsmsRequest request, StreamObserver<HsmList> response) {
            response.onNext(membership.list(description.get()));
            response.onCompleted();
        }

        @Override
        public void changeMembership(MembershipChange request, StreamObserver<HsmList> response) {
            try {
                HsmList after = membership.change(request, description.get());
                System.err.println("jhsm hsm: membership: " + (request.hasAdd() ? "added " + request.getAdd().getHsmId()
                        : "removed " + request.getRemoveHsmId()) + "; the cluster has " + after.getHsmsCount() + " HSMs");
                response.onNext(after);
                response.onCompleted();
            } catch (Membership.MembershipRefused e) {
                response.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            } catch (IllegalArgumentException e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void setFault(FaultRequest request, StreamObserver<FaultState> response) {
            if (faults == null) {
                response.onError(Status.UNIMPLEMENTED.withDescription("this node takes no faults").asRuntimeException());
                return;
            }
            try {
                response.onNext(faults.set(request));
                response.onCompleted();
            } catch (IllegalArgumentException e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            } catch (IllegalStateException e) {
                response.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void metrics(MetricsRequest request, StreamObserver<MetricsResponse> response) {
            if (metrics == null) {
                response.onError(Status.UNIMPLEMENTED.withDescription("this node keeps no metrics").asRuntimeException());
                return;
            }
            response.onNext(metrics.get());
            response.onCompleted();
        }
    }

    CommandResponse execute(CommandRequest request) {
        if (request.getInputsCount() > MAX_FILES || request.getOutputPathsCount() > MAX_FILES) {
            throw new IllegalArgumentException("at most " + MAX_FILES + " input and " + MAX_FILES + " output files per command");
        }
        long start = System.nanoTime();
        Path run = createTemporaryDirectory();
        try {
            Path work = Files.createDirectory(run.resolve("work"));
            for (FileContent in : request.getInputsList()) {
                Path file = inside(work, in.getPath());
                Files.createDirectories(file.getParent());
                Files.write(file, in.getContent().toByteArray());
            }
            for (String name : request.getOutputPathsList()) {
                Files.createDirectories(inside(work, name).getParent());
            }
            BoundedOutput out = new BoundedOutput(MAX_STREAM_BYTES);
            BoundedOutput err = new BoundedOutput(MAX_STREAM_BYTES);
            int status;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                status = runner.run(request.getArgsList(), environment(request, run), work, o, e);
            }
            CommandResponse.Builder response = CommandResponse.newBuilder();
            String unreachable = collectOutputs(work, request.getOutputPathsList(), response);
            if (unreachable != null) {
                err.write(("jhsm: " + unreachable + "\n").getBytes(StandardCharsets.UTF_8));
                status = status == 0 ? 1 : status;
            }
            // The command prints paths inside the scratch directory: the client knows them by its own names.
            String prefix = work + "/";
            response.setExitCode(status)
                    .setStdout(ByteString.copyFromUtf8(out.text().replace(prefix, "")))
                    .setStderr(ByteString.copyFromUtf8(err.text().replace(prefix, "")));
            System.err.printf("jhsm hsm: management: %s -> exit %d (%d ms)%n", commandName(request.getArgsList()), status,
                    (System.nanoTime() - start) / 1_000_000);
            return response.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(run);
        }
    }

    /** Reads back the outputs that exist (a directory output returns the files in it); a message when they are too big. */
    private static String collectOutputs(Path work, List<String> names, CommandResponse.Builder response) throws IOException {
        long total = 0;
        for (String name : names) {
            Path p = inside(work, name);
            List<Path> files;
            if (Files.isDirectory(p)) {
                try (var s = Files.list(p)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
            } else {
                files = Files.isRegularFile(p) ? List.of(p) : List.of();
            }
            for (Path f : files) {
                total += Files.size(f);
                if (total > MAX_OUTPUT_BYTES) {
                    response.clearOutputs();
                    return "the command's output files exceed " + (MAX_OUTPUT_BYTES >> 20) + " MiB; nothing was returned";
                }
                response.addOutputs(FileContent.newBuilder().setPath(work.relativize(f).toString())
                        .setContent(ByteString.copyFrom(Files.readAllBytes(f))));
            }
        }
        return null;
    }

    /** A client-chosen name as a path inside the scratch directory; anything that would leave it is refused. */
    static Path inside(Path work, String name) {
        Path p = work.resolve(name).normalize();
        if (name.isEmpty() || Path.of(name).isAbsolute() || !p.startsWith(work) || p.equals(work)) {
            throw new IllegalArgumentException("file name " + name + " is not a relative path inside the command's directory");
        }
        return p;
    }

    private Map<String, String> environment(CommandRequest request, Path run) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String name : FROM_REQUEST) {
            String v = request.getEnvMap().get(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        Path conf = run.resolve("node.conf");
        Files.writeString(conf, "directory = " + config.directory().toAbsolutePath() + "\nslots = " + config.slots()
                + "\nkey-policy = " + config.keyPolicy().text() + "\nlegacy-algorithms = " + config.legacyAlgorithms() + "\n");
        env.put(Config.ENV, conf.toString());
        if (backupDirectory != null) {
            env.put("JHSM_BACKUP_DIR", backupDirectory);
        }
        return env;
    }

    /** The command's words (e.g. "user create"), never its options or their values: those hold passwords. */
    static String commandName(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            if (a.startsWith("-") || !a.matches("[a-z][a-z0-9-]{0,40}") || b.length() > 60) {
                break;
            }
            b.append(b.isEmpty() ? "" : " ").append(a);
        }
        return b.isEmpty() ? "(none)" : "'" + b + "'";
    }

    private static Path createTemporaryDirectory() {
        try {
            return Files.createTempDirectory("jhsm-command-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory for the command", e);
        }
    }

    private static void deleteTree(Path root) {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("jhsm hsm: could not delete the scratch directory " + root + ": " + e.getMessage());
        }
    }
}
