package io.jhsm.cli;

import com.google.protobuf.ByteString;
import io.jhsm.protocol.v1.CommandRequest;
import io.jhsm.protocol.v1.FileContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files of one forwarded command. Each path the user gave becomes a name of its own in the HSM's
 * scratch directory ("jhsm-0/wrapped.bin", or "jhsm-1.dir" for a directory), so the HSM never sees the
 * client's paths; the answer's files and the names in its text are mapped back to what the user typed.
 */
final class ShippedFiles {
    /** No single input bigger than the HSM accepts in one message. */
    static final long MAX_INPUT_BYTES = 16L << 20;

    private record Entry(String name, String typed, Path local, CommandFiles.Direction direction) {}

    private final List<Entry> entries = new ArrayList<>();

    /** Registers the path the user typed for an option, and returns the name the HSM will see instead. */
    String add(CommandFiles.Direction direction, String typed) {
        int n = entries.size();
        String name = direction == CommandFiles.Direction.OUTPUT_DIRECTORY ? "jhsm-" + n + ".dir" : "jhsm-" + n + "/" + baseName(typed);
        entries.add(new Entry(name, typed, Path.of(typed), direction));
        return name;
    }

    private static String baseName(String typed) {
        Path f = Path.of(typed).getFileName();
        String b = f == null ? "" : f.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return b.isEmpty() || b.equals(".") || b.equals("..") ? "file" : b;
    }

    /** Adds the input files that exist (a missing one is reported by the command on the HSM, under the user's path). */
    void addTo(CommandRequest.Builder request) throws IOException {
        for (Entry e : entries) {
            boolean in = e.direction == CommandFiles.Direction.INPUT || e.direction == CommandFiles.Direction.IN_OUT;
            if (in && Files.isRegularFile(e.local)) {
                if (Files.size(e.local) > MAX_INPUT_BYTES) {
                    throw new IllegalArgumentException(e.typed + " is larger than " + (MAX_INPUT_BYTES >> 20) + " MiB, more than the HSM accepts");
                }
                request.addInputs(FileContent.newBuilder().setPath(e.name).setContent(ByteString.copyFrom(Files.readAllBytes(e.local))));
            }
            if (e.direction != CommandFiles.Direction.INPUT) {
                request.addOutputPaths(e.name);
            }
        }
    }

    /** Saves one returned file under the user's path; false when the HSM returned a file nobody asked for. */
    boolean save(FileContent file) throws IOException {
        for (Entry e : entries) {
            Path target = null;
            if (e.direction == CommandFiles.Direction.OUTPUT_DIRECTORY && file.getPath().startsWith(e.name + "/")) {
                String base = baseName(file.getPath().substring(e.name.length() + 1));
                Files.createDirectories(e.local);
                target = e.local.resolve(base);
            } else if (e.direction != CommandFiles.Direction.INPUT && file.getPath().equals(e.name)) {
                target = e.local;
            }
            if (target != null) {
                Files.write(target, file.getContent().toByteArray());
                return true;
            }
        }
        return false;
    }

    /** The HSM's text with its scratch names replaced by the paths the user typed. */
    String restore(byte[] text) {
        String t = new String(text, StandardCharsets.UTF_8);
        List<Entry> longestFirst = new ArrayList<>(entries);
        longestFirst.sort(Comparator.comparingInt((Entry e) -> e.name.length()).reversed());
        for (Entry e : longestFirst) {
            t = t.replace(e.name, e.typed);
        }
        return t;
    }
}
