package io.jhsm.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels;
import io.jhsm.protocol.v1.CommandRequest;
import io.jhsm.protocol.v1.CommandResponse;
import io.jhsm.protocol.v1.FileContent;
import io.jhsm.protocol.v1.ManagementGrpc;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command forwarded to the HSM (network mode): its file options become shipped files (CommandFiles
 * says which are read and which written), it runs there through Management/Run, and its stdout, stderr,
 * exit status and output files come back as if it had run here.
 */
final class RemoteCommand {
    private RemoteCommand() {}

    /** Opens the channel to an HSM; the real one is TLS to the first HSM of the configuration. */
    @FunctionalInterface
    interface Channels {
        ManagedChannel open(ClientConfig config);

        Channels TLS = config -> HsmChannels.open(config, config.hsms().get(0));
    }

    /** Only these reach the HSM's command; the rest of the client's environment stays here. */
    private static final List<String> SENT_ENV = List.of("CLOUDHSM_PIN", "CLOUDHSM_ROLE");

    /** Exit status when the HSM cannot be reached or the configuration is wrong (as an internal error / bad input). */
    static final int UNREACHABLE = 1;
    static final int BAD_INPUT = 2;

    /** {@code parsed} has parsed {@code args}; {@code command} is its leaf ("key wrap"). */
    static int forward(CommandLine parsed, String command, List<String> args, Map<String, String> env, PrintStream out,
                       PrintStream err, Channels channels) {
        ClientConfig config;
        ShippedFiles files = new ShippedFiles();
        CommandRequest.Builder request = CommandRequest.newBuilder();
        try {
            config = ClientConfig.fromEnvironment(env);
            request.addAllArgs(rewrite(leaf(parsed), command, args, files));
            files.addTo(request);
        } catch (IllegalStateException | IllegalArgumentException | IOException e) {
            err.println("jhsm: " + e.getMessage());
            return BAD_INPUT;
        }
        for (String name : SENT_ENV) {
            if (env.get(name) != null) {
                request.putEnv(name, env.get(name));
            }
        }
        String hsm = config.hsms().get(0).toString();
        ManagedChannel channel;
        try {
            channel = channels.open(config);
        } catch (RuntimeException e) {
            err.println("jhsm: HSM " + hsm + ": " + e.getMessage());
            return UNREACHABLE;
        }
        try {
            CommandResponse response = ManagementGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .run(request.build());
            out.print(files.restore(response.getStdout().toByteArray()));
            err.print(files.restore(response.getStderr().toByteArray()));
            for (FileContent f : response.getOutputsList()) {
                if (!files.save(f)) {
                    err.println("jhsm: warning: the HSM returned a file nobody asked for (" + f.getPath() + "); ignored");
                }
            }
            return response.getExitCode();
        } catch (StatusRuntimeException e) {
            err.println("jhsm: HSM " + hsm + ": " + e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                    : ": " + e.getStatus().getDescription()) + " (is the node running? jhsm cluster status --dir DIR shows it;"
                    + " call-timeout-ms in " + env.get(ClientConfig.ENV) + " bounds the wait)");
            return UNREACHABLE;
        } catch (IOException e) {
            err.println("jhsm: cannot save the command's output here: " + e);
            return UNREACHABLE;
        } finally {
            out.flush();
            err.flush();
            channel.shutdownNow();
        }
    }

    private static CommandSpec leaf(CommandLine parsed) {
        CommandLine.ParseResult r = parsed.getParseResult();
        while (r.subcommand() != null) {
            r = r.subcommand();
        }
        return r.commandSpec();
    }

    /** The arguments with every file option's value replaced by its shipped name; defaulted ones made explicit. */
    static List<String> rewrite(CommandSpec spec, String command, List<String> args, ShippedFiles files) {
        List<String> sent = new ArrayList<>(args);
        List<OptionSpec> given = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            String a = sent.get(i);
            if (a.equals("--")) {
                break;
            }
            if (!a.startsWith("-")) {
                continue;
            }
            int eq = a.indexOf('=');
            OptionSpec o = spec.findOption(eq < 0 ? a : a.substring(0, eq));
            if (o == null || o.arity().max() == 0) {
                continue;
            }
            boolean inline = eq >= 0;
            int at = inline ? i : i + 1;
            if (!inline) {
                i++; // the value is never an option of its own
            }
            if (at >= sent.size() || !CommandFiles.isFile(o)) {
                continue;
            }
            String value = inline ? a.substring(eq + 1) : sent.get(at);
            String name = files.add(direction(command, o), value);
            sent.set(at, inline ? a.substring(0, eq + 1) + name : name);
            given.add(o);
        }
        for (OptionSpec o : spec.options()) {
            if (CommandFiles.isFile(o) && !given.contains(o) && o.defaultValue() != null) {
                sent.add(o.longestName());
                sent.add(files.add(direction(command, o), o.defaultValue()));
            }
        }
        return sent;
    }

    private static CommandFiles.Direction direction(String command, OptionSpec o) {
        CommandFiles.Direction d = CommandFiles.of(command, o);
        if (d == null) {
            // CommandFilesTest keeps this from happening; refuse rather than send a client path to the HSM.
            throw new IllegalStateException("'" + command + " " + o.longestName() + "' has no entry in CommandFiles: cannot forward it");
        }
        return d;
    }
}
