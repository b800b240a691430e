package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.node.Faults;
import io.jhsm.protocol.v1.DescribeRequest;
import io.jhsm.protocol.v1.HsmEntry;
import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A local cluster of HSM nodes for development: {@code cluster up} starts them in the background (and
 * with --quick-start initializes the cluster as CloudHSM's guide does), {@code cluster down} stops them,
 * {@code cluster status} describes them. They run where they are typed (LocalCommands).
 */
final class ClusterNodeCommands {
    static final String CLIENT_CONF = "client.conf";
    static final String CUSTOMER_CA = "customerCA.crt";
    /** How long a node may take to answer after it is started (a cold JVM on a busy machine). */
    static final int START_SECONDS = 90;

    private ClusterNodeCommands() {}

    /**
     * A client.conf for JHSM_CONF: the HSMs and the anchor that verifies them (relative to the file). A one-HSM
     * cluster turns CloudHSM's key-availability check off, as AWS tells such a cluster's users to.
     */
    static void writeClientConf(Path conf, List<String> addresses, String anchor) throws IOException {
        Files.writeString(conf, "# written by jhsm cluster up: use it as JHSM_CONF\n"
                + "hsms = " + String.join(",", addresses) + "\n"
                + "hsm-ca-cert = " + anchor + "\n"
                + "connect-timeout-ms = 10000\n"
                + "call-timeout-ms = 30000\n"
                + (addresses.size() == 1 ? "disable-key-availability-check = true\n" : ""));
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start a cluster of N HSMs in the background on loopback (client ports from 2223, Raft from 3223, metrics from "
                    + "4223; DIR/hsm-K: tokens, node.log, node.pid), a supervisor that replaces a dead HSM, and write DIR/cluster.json "
                    + "and DIR/client.conf. With --quick-start, also initialize and activate the cluster with a throw-away customer CA "
                    + "and create the crypto user; without, it is left uninitialized for the manual flow.")
    static final class Up extends Ctx.Aware implements Runnable {
        @Option(names = "--hsms", defaultValue = "1", description = "How many HSMs, 1 to 28 (default 1).")
        int hsms;

        @Option(names = "--dir", required = true, description = "Where the HSMs keep their directories, cluster.json and client.conf.")
        Path dir;

        @Option(names = "--quick-start", description = "Initialize and activate the cluster, as examples/cloudhsm-walkthrough.sh does.")
        boolean quickStart;

        @Option(names = "--admin-password", description = "With --quick-start: the admin password to activate with (8 to 32 characters).")
        String adminPassword;

        @Option(names = "--crypto-user", paramLabel = "NAME:PASSWORD", description = "With --quick-start: a crypto user to create.")
        String cryptoUser;

        @Override
        public void run() {
            if (hsms < 1 || hsms > LocalCluster.MAX_HSMS) {
                throw new HsmException(HsmException.Code.BAD_INPUT, "--hsms is 1 to " + LocalCluster.MAX_HSMS + " (CloudHSM's cluster size)");
            }
            if (quickStart && adminPassword == null) {
                throw new HsmException(HsmException.Code.BAD_INPUT, "--quick-start needs --admin-password");
            }
            if ((adminPassword != null || cryptoUser != null) && !quickStart) {
                throw new HsmException(HsmException.Code.BAD_INPUT, "--admin-password and --crypto-user go with --quick-start");
            }
            if (cryptoUser != null && cryptoUser.indexOf(':') <= 0) {
                throw new HsmException(HsmException.Code.BAD_INPUT, "--crypto-user is NAME:PASSWORD");
            }
            Path root = dir.toAbsolutePath().normalize();
            ClusterUp up = new ClusterUp(root, ctx().out(), ctx().err());
            try {
                ClusterUp.Started s = up.start(hsms);
                try {
                    NodeDescription d = s.first();
                    Path conf = root.resolve(CLIENT_CONF);
                    boolean trustCustomer = !d.getState().equals("UNINITIALIZED") && Files.exists(root.resolve(CUSTOMER_CA));
                    String firstDir = s.cluster().members().get(0).dir();
                    writeClientConf(conf, s.addresses(), trustCustomer ? CUSTOMER_CA : firstDir + "/" + LocalNodes.BOOTSTRAP_CERTIFICATE);
                    if (s.addresses().size() == 1) {
                        ctx().out().println("jhsm: one HSM: client.conf sets disable-key-availability-check = true, as AWS tells a one-HSM"
                                + " cluster's users (a token key is otherwise usable only once it is on 2 HSMs)");
                    }
                    if (quickStart) {
                        if (d.getState().equals("UNINITIALIZED")) {
                            new QuickStart(root, s.addresses(), ctx().out()).run(d.getClusterId(), adminPassword, cryptoUser);
                        } else {
                            ctx().err().println("jhsm: the cluster is " + d.getState() + " already: --quick-start has nothing to do");
                        }
                    }
                    ProcessHandle supervisor = Supervisor.startDetached(root);
                    ctx().out().println("jhsm: supervisor (pid " + supervisor.pid() + ") replaces an HSM that dies; log "
                            + root.resolve(Supervisor.LOG));
                    ctx().out().println(conf);
                } catch (IOException | RuntimeException e) {
                    up.stopAll();
                    throw e;
                }
            } catch (IOException e) {
                throw new HsmException(HsmException.Code.STATE, "cannot start the cluster in " + root + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the cluster cluster up started under DIR: the supervisor first, then each HSM with SIGTERM (they finish "
                    + "in-flight calls), SIGKILL after 30 s.")
    static final class Down extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Override
        public void run() {
            new ClusterUp(dir.toAbsolutePath().normalize(), ctx().out(), ctx().err()).stopAll().forEach(ctx().out()::println);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Describe each HSM of the cluster under DIR: id, AZ, address, state (ACTIVE, INITIALIZING, DEGRADED, STOPPED), "
                    + "Raft role, applied index, lag, sessions, and the cluster's own state.")
    static final class Status extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--json", description = "Print CloudHSM CLI-style JSON.")
        boolean json;

        @Override
        public void run() {
            Ctx.JSON.set(json);
            Path root = dir.toAbsolutePath().normalize();
            // A directory without a cluster has no HSMs (status of a wrong --dir says so rather than failing).
            ClusterFile cluster = ClusterFile.exists(root) ? ClusterFile.read(root) : new ClusterFile("", List.of());
            ClusterRpc rpc = new ClusterRpc(root);
            NodeProbe.Reply<HsmList> list = rpc.list(cluster);
            List<Object> hsms = new ArrayList<>();
            for (ClusterFile.Member m : cluster.members()) {
                hsms.add(describe(rpc, m, list.answered() ? ClusterRpc.entry(list.value(), m.hsmId()) : Optional.empty()));
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("cluster-id", cluster.clusterId());
            data.put("leader", list.answered() ? list.value().getLeaderHsmId() : "");
            data.put("hsms", hsms);
            ctx().print(json, data);
        }

        static Map<String, Object> describe(ClusterRpc rpc, ClusterFile.Member m, Optional<HsmEntry> entry) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("hsm-id", m.hsmId());
            h.put("az", m.az());
            h.put("address", m.address());
            NodeProbe.Reply<NodeDescription> d = rpc.ask(m, s -> s.describe(DescribeRequest.getDefaultInstance()));
            if (!d.answered()) {
                h.put("state", "STOPPED");
                h.put("problem", d.problem());
                return h;
            }
            NodeDescription n = d.value();
            h.put("state", entry.map(HsmEntry::getState).orElse("ACTIVE"));
            h.put("raft-role", entry.map(HsmEntry::getRaftRole).orElse(n.getRaftRole().isEmpty() ? "NONE" : n.getRaftRole()));
            h.put("applied-index", entry.map(HsmEntry::getAppliedIndex).orElse(n.getAppliedIndex()));
            h.put("lag", entry.map(HsmEntry::getLag).orElse(0L));
            h.put("sessions", n.getSessions());
            h.put("applications", n.getApplications());
            h.put("cluster-state", n.getState());
            h.put("fault", Faults.describe(n.getFault()));
            h.put("dir", m.dir());
            return h;
        }
    }
}
