package io.jhsm.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels;
import io.jhsm.protocol.v1.DescribeRequest;
import io.jhsm.protocol.v1.ManagementGrpc;
import io.jhsm.protocol.v1.NodeDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import io.jhsm.engine.cloudhsm.HsmException;
import java.util.concurrent.TimeUnit;

/** Asks a node to describe itself (Management/Describe) over TLS verified against one of the anchors it may present. */
final class NodeProbe {
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration CALL = Duration.ofSeconds(5);

    private NodeProbe() {}

    /** The answer, or the reason why none came (the last anchor's). */
    record Answer(NodeDescription description, String problem) {
        boolean answered() {
            return description != null;
        }
    }

    /**
     * Tries each trust anchor that exists: a node presents its self-signed bootstrap certificate before
     * the cluster is initialized, the customer-signed one after.
     */
    static Answer describe(String address, List<Path> anchors) {
        Reply<NodeDescription> r = ask(address, anchors, s -> s.describe(DescribeRequest.getDefaultInstance()));
        return new Answer(r.value(), r.problem());
    }

    /** A Management call's answer, or why none came. */
    record Reply<T>(T value, String problem) {
        boolean answered() {
            return value != null;
        }

        /** The answer, or an HsmException saying what failed where. */
        T orThrow(String what) {
            if (value == null) {
                throw new HsmException(HsmException.Code.STATE, what + ": " + problem);
            }
            return value;
        }
    }

    /** One Management call to the node at {@code address}, over TLS verified with the first anchor that works. */
    static <T> Reply<T> ask(String address, List<Path> anchors, Function<ManagementGrpc.ManagementBlockingStub, T> call) {
        String problem = "no trust anchor to verify it with (" + anchors + ")";
        for (Path anchor : anchors) {
            if (!Files.isRegularFile(anchor)) {
                continue;
            }
            ClientConfig config = new ClientConfig(List.of(ClientConfig.HostAndPort.parse(address)), anchor, null, null, CONNECT, CALL);
            ManagedChannel channel = null;
            try {
                channel = HsmChannels.open(config, config.hsms().get(0));
                return new Reply<>(call.apply(ManagementGrpc.newBlockingStub(channel).withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS)), null);
            } catch (StatusRuntimeException e) {
                problem = e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription());
                if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
                    break; // the node answered: another anchor would get the same answer
                }
            } catch (RuntimeException e) {
                problem = e.getMessage();
            } finally {
                if (channel != null) {
                    channel.shutdownNow();
                }
            }
        }
        return new Reply<>(null, problem);
    }

    /** The anchors a node of DIR may be verified with: client.conf's, the quick-start CA, then the node's bootstrap certificate. */
    static List<Path> anchors(Path dir, Path nodeDir) {
        Set<Path> a = new LinkedHashSet<>();
        Path conf = dir.resolve(ClusterNodeCommands.CLIENT_CONF);
        if (Files.exists(conf)) {
            try {
                a.add(ClientConfig.load(conf).hsmCaCert());
            } catch (IllegalStateException unreadable) {
                // the other anchors may still do
            }
        }
        a.add(dir.resolve(ClusterNodeCommands.CUSTOMER_CA).toAbsolutePath().normalize());
        a.add(nodeDir.resolve(LocalNodes.BOOTSTRAP_CERTIFICATE).toAbsolutePath().normalize());
        return new ArrayList<>(a);
    }

    /** Polls Describe (bounded) until the node answers; a node that exits is reported with its log. */
    static NodeDescription await(Path root, Path node, String address, ProcessHandle process, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Answer last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new HsmException(HsmException.Code.STATE, "the node exited while starting; " + node.resolve(LocalNodes.LOG)
                        + " ends with:\n" + LocalNodes.logTail(node));
            }
            last = describe(address, anchors(root, node));
            if (last.answered()) {
                return last.description();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new HsmException(HsmException.Code.STATE, "the node at " + address + " did not answer within " + seconds + " s ("
                + (last == null ? "not asked" : last.problem()) + "); " + node.resolve(LocalNodes.LOG) + " ends with:\n" + LocalNodes.logTail(node));
    }
}
