package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.Cluster;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.StateFile;
import io.jhsm.engine.store.StorageKey;
import io.jhsm.engine.store.TokenStores;
import io.jhsm.node.HsmNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The HSMs of a local cluster on this machine: how a new one is named (a new {@code hsm-} + 8 hex id each time,
 * AZ labels round-robin), where it lives (DIR/hsm-K, K increasing, never reused), which loopback ports it gets
 * (client from 2223, Raft from 3223, metrics from 4223, the next free ones), how its directory is provisioned
 * (the first creates the cluster; the others of {@code cluster up} get a copy of its state before any starts;
 * a later one gets only the cluster key and the HSM identity key, then its state from the leader's snapshot) and
 * how it is started ({@code jhsm hsm serve} with the cluster's options).
 */
final class LocalCluster {
    static final int RAFT_PORTS = 3223;
    static final int METRICS_PORTS = 4223;
    static final int MAX_HSMS = 28;
    /** DIR/initial: the cluster's state before any HSM started, the base a joining HSM starts from. */
    static final String INITIAL = "initial";
    private static final List<String> AZS = List.of("az-a", "az-b", "az-c");
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalCluster() {}

    static String newHsmId() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return "hsm-" + HexFormat.of().formatHex(b);
    }

    /** az-a, az-b, az-c, az-a … for the K-th HSM (1-based). */
    static String az(int k) {
        return AZS.get((k - 1) % AZS.size());
    }

    /** The next unused DIR/hsm-K. */
    static int nextIndex(Path root) {
        int k = 1;
        while (Files.exists(LocalNodes.nodeDirectory(root, k))) {
            k++;
        }
        return k;
    }

    /** A new HSM's entry: id, AZ, directory and free ports not among those the cluster already gave out. */
    static ClusterFile.Member plan(Path root, int k, String az, ClusterFile cluster, Set<Integer> taken) {
        Set<Integer> used = new HashSet<>(taken);
        for (ClusterFile.Member m : cluster.hsms()) {
            Stream.of(m.address(), m.raftAddress(), m.metricsAddress()).filter(a -> !a.isEmpty())
                    .forEach(a -> used.add(Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))));
        }
        int client = LocalNodes.firstFreePort(LocalNodes.FIRST_PORT, used);
        used.add(client);
        int raft = LocalNodes.firstFreePort(RAFT_PORTS, used);
        used.add(raft);
        int metrics = LocalNodes.firstFreePort(METRICS_PORTS, used);
        taken.addAll(List.of(client, raft, metrics));
        return new ClusterFile.Member(newHsmId(), az, root.relativize(LocalNodes.nodeDirectory(root, k)).toString(),
                "127.0.0.1:" + client, "127.0.0.1:" + raft, "127.0.0.1:" + metrics, -1, ClusterFile.MEMBER, null);
    }

    /** Creates the cluster in the first HSM's directory (its identity key, CSR and bootstrap certificate); answers its id. */
    static String createCluster(Path nodeDir) {
        try {
            Files.createDirectories(nodeDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (HsmNode node = HsmNode.prepare(new HsmNode.Settings(nodeDir, "127.0.0.1", 0).withLog(quiet))) {
            return node.clusterId();
        }
    }

    /** Copies the first HSM's whole state (tokens, keys, bootstrap certificate) to another, before either starts. */
    static void copyState(Path from, Path to) {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!name.equals(LocalNodes.LOG) && !name.equals(LocalNodes.PID) && !name.equals(LocalNodes.ADDRESS)
                        && !name.startsWith("audit") // each HSM keeps its own audit stream
                        && !name.startsWith("peer")) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new HsmException(HsmException.Code.STATE, "cannot copy the cluster's state from " + from + " to " + to + ": " + e.getMessage());
        }
    }

    /**
     * Gives a new HSM its starting state. The cluster's first state (made by {@code cluster up} before any HSM started) is
     * not in the Raft log, so a new HSM starts from a copy of it kept in DIR/{@value #INITIAL} (sealed objects, the cluster
     * key device.key and the HSM identity key, 0600, as in every HSM's directory): the leader then sends it either the whole
     * log, which it applies on top, or a snapshot when the log was compacted, which replaces it. A cluster without that
     * copy gets the cluster key and identity key from a member beside a new empty token (TokenStores.provision) and
     * the member's cluster state file, so it answers TLS while it joins.
     */
    static void provisionJoining(Path root, Path memberDir, Path nodeDir) {
        Path initial = root.resolve(INITIAL);
        if (Files.isDirectory(initial)) {
            copyState(initial, nodeDir);
            return;
        }
        Path fromSlot = memberDir.resolve("slot-0");
        Path toSlot = nodeDir.resolve("slot-0");
        try {
            // the cluster key with a new, empty token.db: a device.key alone reads as a token whose database was lost
            TokenStores.provision(toSlot, fromSlot.resolve(StorageKey.FILE_NAME));
            for (String secret : List.of(Cluster.HSM_KEY)) {
                Path to = toSlot.resolve(secret);
                Files.deleteIfExists(to);
                Files.createFile(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(to, Files.readAllBytes(fromSlot.resolve(secret)));
            }
            // the cluster's state file too (its HSM certificate and public key), so the new HSM answers TLS while it
            // joins; the leader's snapshot then replaces it with the state it catches up to
            Files.copy(fromSlot.resolve(StateFile.FILE), toSlot.resolve(StateFile.FILE), StandardCopyOption.REPLACE_EXISTING);
            Path bootstrap = memberDir.resolve(LocalNodes.BOOTSTRAP_CERTIFICATE);
            if (Files.exists(bootstrap)) {
                Files.copy(bootstrap, nodeDir.resolve(LocalNodes.BOOTSTRAP_CERTIFICATE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            throw new HsmException(HsmException.Code.STATE, "cannot provision " + nodeDir + " with the cluster key from " + memberDir
                    + ": " + e.getMessage());
        }
    }

    /** Keeps the cluster's first state (before any HSM starts) for the HSMs that join later; only its owner reads it. */
    static void keepInitialState(Path root, Path firstDir) {
        Path initial = root.resolve(INITIAL);
        try {
            Files.createDirectory(initial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new HsmException(HsmException.Code.STATE, "cannot create " + initial + ": " + e.getMessage());
        }
        copyState(firstDir, initial);
    }

    /** The {@code hsm serve} options of a member: as one of {@code peers} (ID=RAFT=CLIENT,…), or joining. */
    static List<String> serveOptions(ClusterFile.Member m, String peers, boolean join) {
        List<String> o = new java.util.ArrayList<>(List.of("--hsm-id", m.hsmId(), "--az", m.az(), "--raft-listen", m.raftAddress(),
                "--metrics-listen", m.metricsAddress()));
        if (join) {
            o.add("--join");
        } else {
            o.addAll(List.of("--peers", peers));
        }
        return o;
    }

    /** Waits (bounded) until something accepts connections at HOST:PORT; a node that exits is reported with its log. */
    static void awaitListening(String address, Path nodeDir, long pid, int seconds) {
        int colon = address.lastIndexOf(':');
        InetSocketAddress at = new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                throw new HsmException(HsmException.Code.STATE, "the node exited while starting; " + nodeDir.resolve(LocalNodes.LOG)
                        + " ends with:\n" + LocalNodes.logTail(nodeDir));
            }
            try (Socket s = new Socket()) {
                s.connect(at, 1000);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new HsmException(HsmException.Code.STATE, "nothing listens on " + address + " after " + seconds + " s; "
                + nodeDir.resolve(LocalNodes.LOG) + " ends with:\n" + LocalNodes.logTail(nodeDir));
    }

    /** Starts the member's node in the background; answers it with its pid. */
    static ClusterFile.Member start(Path root, ClusterFile.Member m, String peers, boolean join) {
        try {
            ProcessHandle p = LocalNodes.start(root.resolve(m.dir()), m.address(), serveOptions(m, peers, join));
            return m.withPid(p.pid());
        } catch (IOException e) {
            throw new HsmException(HsmException.Code.STATE, "cannot start " + m.hsmId() + " in " + root.resolve(m.dir()) + ": " + e.getMessage());
        }
    }
}
