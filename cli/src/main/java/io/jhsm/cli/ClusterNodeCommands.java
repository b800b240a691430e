package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** A client.conf for JHSM_CONF: the HSMs and the anchor that verifies them (relative to the file). */
    static void writeClientConf(Path conf, String address, String anchor) throws IOException {
        Files.writeString(conf, "# written by jhsm cluster up: use it as JHSM_CONF\n"
                + "hsms = " + address + "\n"
                + "hsm-ca-cert = " + anchor + "\n"
                + "connect-timeout-ms = 10000\n"
                + "call-timeout-ms = 30000\n");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start HSM nodes in the background on loopback ports from 2223 (DIR/hsm-N: tokens, node.log, node.pid) and "
                    + "write DIR/client.conf. With --quick-start, also initialize and activate the cluster with a throw-away "
                    + "customer CA and create the crypto user; without, the node is left uninitialized for the manual flow.")
    static final class Up extends Ctx.Aware implements Runnable {
        @Option(names = "--hsms", defaultValue = "1", description = "How many HSMs (1 for now).")
        int hsms;

        @Option(names = "--dir", required = true, description = "Where the nodes keep their directories and client.conf.")
        Path dir;

        @Option(names = "--quick-start", description = "Initialize and activate the cluster, as examples/cloudhsm-walkthrough.sh does.")
        boolean quickStart;

        @Option(names = "--admin-password", description = "With --quick-start: the admin password to activate with (8 to 32 characters).")
        String adminPassword;

        @Option(names = "--crypto-user", paramLabel = "NAME:PASSWORD", description = "With --quick-start: a crypto user to create.")
        String cryptoUser;

        @Override
        public void run() {
            if (hsms != 1) {
                throw new HsmException(HsmException.Code.BAD_INPUT, "clusters of several HSMs arrive with issue 15; use --hsms 1");
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
            Path node = LocalNodes.nodeDirectory(root, 1);
            LocalNodes.running(node).ifPresent(h -> {
                throw new HsmException(HsmException.Code.STATE, node + " is running already (pid " + h.pid() + "): jhsm cluster down --dir " + dir + " first");
            });
            try {
                Files.createDirectories(node);
                String address = "127.0.0.1:" + LocalNodes.firstFreePort();
                ProcessHandle process = LocalNodes.start(node, address);
                try {
                    NodeDescription d = NodeProbe.await(root, node, address, process, START_SECONDS);
                    ctx().out().println("jhsm: HSM " + d.getHsmId() + " serving " + node + " on " + address + " (cluster "
                            + d.getClusterId() + ", " + d.getState() + "; log " + node.resolve(LocalNodes.LOG) + ")");
                    Path conf = root.resolve(CLIENT_CONF);
                    boolean trustCustomer = !d.getState().equals("UNINITIALIZED") && Files.exists(root.resolve(CUSTOMER_CA));
                    writeClientConf(conf, address, trustCustomer ? CUSTOMER_CA : "hsm-1/" + LocalNodes.BOOTSTRAP_CERTIFICATE);
                    if (quickStart) {
                        if (d.getState().equals("UNINITIALIZED")) {
                            new QuickStart(root, address, ctx().out()).run(d.getClusterId(), adminPassword, cryptoUser);
                        } else {
                            ctx().err().println("jhsm: the cluster is " + d.getState() + " already: --quick-start has nothing to do");
                        }
                    }
                    ctx().out().println(conf);
                } catch (RuntimeException e) {
                    LocalNodes.stop(node); // nothing half-started is left behind
                    throw e;
                }
            } catch (IOException e) {
                throw new HsmException(HsmException.Code.STATE, "cannot start the node in " + node + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the HSM nodes cluster up started under DIR: SIGTERM (they finish in-flight calls), then SIGKILL after 30 s.")
    static final class Down extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Override
        public void run() {
            for (Path node : LocalNodes.nodes(dir.toAbsolutePath().normalize())) {
                long pid = LocalNodes.running(node).map(ProcessHandle::pid).orElse(-1L);
                boolean stopped = LocalNodes.stop(node);
                ctx().out().println("jhsm: " + node.getFileName() + (stopped ? " stopped (pid " + pid + ")" : " was not running"));
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Describe each HSM node under DIR: id, cluster state, address, applications (connections, this query's own included), sessions.")
    static final class Status extends Ctx.Aware implements Runnable {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--json", description = "Print CloudHSM CLI-style JSON.")
        boolean json;

        @Override
        public void run() {
            Ctx.JSON.set(json);
            Path root = dir.toAbsolutePath().normalize();
            List<Object> hsms = new ArrayList<>();
            for (Path node : LocalNodes.nodes(root)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", node.getFileName().toString());
                String address;
                try {
                    address = LocalNodes.address(node);
                } catch (IOException e) {
                    throw new HsmException(HsmException.Code.STATE, "cannot read " + node.resolve(LocalNodes.ADDRESS) + ": " + e.getMessage());
                }
                m.put("address", address);
                NodeProbe.Answer a = LocalNodes.running(node).isPresent() ? NodeProbe.describe(address, NodeProbe.anchors(root, node))
                        : new NodeProbe.Answer(null, "not running");
                if (a.answered()) {
                    NodeDescription d = a.description();
                    m.put("hsm-id", d.getHsmId());
                    m.put("cluster-id", d.getClusterId());
                    m.put("state", d.getState());
                    m.put("applications", d.getApplications());
                    m.put("sessions", d.getSessions());
                    m.put("version", d.getVersion());
                } else {
                    m.put("state", "unreachable");
                    m.put("problem", a.problem());
                }
                hsms.add(m);
            }
            ctx().print(json, Map.of("hsms", hsms));
        }
    }
}
