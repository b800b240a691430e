package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.node.Faults;
import io.jhsm.protocol.v1.Empty;
import io.jhsm.protocol.v1.FaultRequest;
import io.jhsm.protocol.v1.FaultState;
import io.jhsm.protocol.v1.Metric;
import io.jhsm.protocol.v1.MetricsRequest;
import io.jhsm.protocol.v1.MetricsResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * Operating a local cluster (DIR/cluster.json): the supervisor, membership by hand (CloudHSM's create-hsm and
 * delete-hsm), faults on demand for applications' tests, and every HSM's CloudWatch metrics. They run where they
 * are typed (LocalCommands).
 */
final class ClusterOpsCommands {
    private ClusterOpsCommands() {}

    private static Path root(Path dir) {
        return dir.toAbsolutePath().normalize();
    }

    @Command(name = "supervise", mixinStandardHelpOptions = true,
            description = "Watch the cluster's HSMs and replace one that dies (new HSM id and directory, joined and caught up, the dead "
                    + "one removed), until SIGTERM. cluster up starts it in the background (DIR/supervisor.pid, DIR/supervisor.log).")
    static final class Supervise extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Override
        public void run() {
            Supervisor s = new Supervisor(root(dir), ctx().out());
            for (String sig : List.of("TERM", "INT")) {
                Signal.handle(new Signal(sig), x -> s.stop());
            }
            s.run();
        }
    }

    @Command(name = "add-hsm", mixinStandardHelpOptions = true,
            description = "Add an HSM to the cluster (CloudHSM's create-hsm): a new HSM id and directory, the cluster key, a peer "
                    + "certificate; it joins, installs a snapshot of the cluster's state and serves.")
    static final class AddHsm extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--az", required = true, description = "Its availability-zone label, e.g. az-b.")
        String az;

        @Override
        public void run() {
            ClusterFile.Member m = new ClusterMembers(root(dir), line -> ctx().out().println("jhsm: " + line)).add(az);
            ctx().out().println("jhsm: " + m.hsmId() + " serves on " + m.address() + "; applications find it through discovery");
        }
    }

    @Command(name = "remove-hsm", mixinStandardHelpOptions = true,
            description = "Remove an HSM from the cluster (CloudHSM's delete-hsm), then stop it. Its sessions end; the others keep serving.")
    static final class RemoveHsm extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--hsm-id", required = true)
        String hsmId;

        @Override
        public void run() {
            new ClusterMembers(root(dir), line -> ctx().out().println("jhsm: " + line)).remove(hsmId);
        }
    }

    /** What {@code cluster fault} does. */
    enum FaultAction { throttle, latency, stop, kill, partition, clear, show }

    @Command(name = "fault", mixinStandardHelpOptions = true,
            description = "Faults on demand for applications' tests: throttle --rate R (a fraction R of Cryptoki calls answered as "
                    + "CloudHSM's HSM error 0xBB, CKR_FUNCTION_FAILED), latency --ms M, stop (calls are held unanswered until clear), "
                    + "kill (SIGKILL: the supervisor replaces the HSM), partition (cut off from its peers; clients still reach it), "
                    + "clear, show.")
    static final class Fault extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--hsm-id", required = true)
        String hsmId;

        @Parameters(index = "0", description = "throttle, latency, stop, kill, partition, clear or show")
        FaultAction action;

        @Option(names = "--rate", description = "With throttle: the fraction of calls refused, 0 to 1.")
        Double rate;

        @Option(names = "--ms", description = "With latency: milliseconds added before each answer.")
        Integer ms;

        @Option(names = "--json", description = "Print CloudHSM CLI-style JSON.")
        boolean json;

        @Override
        public void run() {
            Ctx.JSON.set(json);
            if ((rate != null) != (action == FaultAction.throttle) || (ms != null) != (action == FaultAction.latency)) {
                throw new HsmException(HsmException.Code.BAD_INPUT, "--rate goes with throttle (and throttle needs it), --ms with latency");
            }
            Path root = root(dir);
            ClusterFile.Member m = ClusterFile.read(root).member(hsmId);
            if (action == FaultAction.kill) {
                kill(root, m);
                return;
            }
            FaultState s = new ClusterRpc(root).ask(m, stub -> stub.setFault(request(action, rate, ms)))
                    .orThrow("fault " + action + " on " + hsmId);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("hsm-id", hsmId);
            data.put("fault", Faults.describe(s));
            data.put("throttle-rate", s.getThrottleRate());
            data.put("latency-ms", s.getLatencyMs());
            data.put("stopped", s.getStopped());
            data.put("partitioned", s.getPartitioned());
            ctx().print(json, data);
        }

        static FaultRequest request(FaultAction action, Double rate, Integer ms) {
            Empty e = Empty.getDefaultInstance();
            FaultRequest.Builder b = FaultRequest.newBuilder();
            return switch (action) {
                case throttle -> b.setThrottleRate(rate).build();
                case latency -> {
                    if (ms < 0) {
                        throw new HsmException(HsmException.Code.BAD_INPUT, "--ms is 0 or more");
                    }
                    yield b.setLatencyMs(ms).build();
                }
                case stop -> b.setStop(e).build();
                case partition -> b.setPartition(e).build();
                case clear -> b.setClear(e).build();
                case show -> b.setShow(e).build();
                case kill -> throw new IllegalArgumentException("kill is a signal, not a node fault");
            };
        }

        private void kill(Path root, ClusterFile.Member m) {
            ProcessHandle h = LocalNodes.running(root.resolve(m.dir())).orElseThrow(() ->
                    new HsmException(HsmException.Code.STATE, hsmId + " is not running"));
            h.destroyForcibly(); // SIGKILL: no graceful stop, as an HSM that fails
            h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
            ctx().out().println("jhsm: " + hsmId + " killed (pid " + h.pid() + ")" + (Supervisor.running(root).isPresent()
                    ? "; the supervisor replaces it (" + root.resolve(Supervisor.LOG) + ")" : "; no supervisor runs to replace it"));
        }
    }

    @Command(name = "metrics", mixinStandardHelpOptions = true,
            description = "Every HSM's CloudWatch metrics (namespace AWS/CloudHSM, dimensions ClusterId and HsmId); each HSM also "
                    + "serves them to Prometheus at its metrics address (/metrics).")
    static final class Metrics extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--json", description = "Print CloudHSM CLI-style JSON.")
        boolean json;

        @Override
        public void run() {
            Ctx.JSON.set(json);
            Path root = root(dir);
            ClusterRpc rpc = new ClusterRpc(root);
            List<Object> hsms = new ArrayList<>();
            for (ClusterFile.Member m : ClusterFile.read(root).members()) {
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("hsm-id", m.hsmId());
                h.put("metrics-address", m.metricsAddress());
                NodeProbe.Reply<MetricsResponse> r = rpc.ask(m, s -> s.metrics(MetricsRequest.getDefaultInstance()));
                if (r.answered()) {
                    h.put("cluster-id", r.value().getClusterId());
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (Metric x : r.value().getMetricsList()) {
                        values.put(x.getName(), x.getValue() == Math.rint(x.getValue()) ? (Object) (long) x.getValue() : x.getValue());
                    }
                    h.put("metrics", values);
                } else {
                    h.put("problem", r.problem());
                }
                hsms.add(h);
            }
            ctx().print(json, Map.of("hsms", hsms));
        }
    }
}
