package hmmtest.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmmtest.infra.ExitCode;
import hmmtest.report.ReportWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.io.FileUtils;

/**
 * Joins the results directories of the shards of one selection (SHARD=1/n ... n/n, each run on
 * its own machine) into one results directory with the reports a single run writes. Shards are
 * checked against each other first: the same selection, the same split, the same kernel; a
 * shard given twice or split differently is refused. A shard that is missing (or whose directory
 * holds no results) is named, and its tests are "not run" in the merged results, never dropped.
 * Directories of {@code validate} merge kernel by kernel.
 */
public final class ShardMerge {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ShardMerge() {}

    /** The merged directory, its exit code, and what was missing. */
    public record Outcome(Path dir, ExitCode exitCode, List<String> problems) {}

    public static Outcome merge(List<Path> dirs, Path out, String command) throws IOException {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("merge needs the shards' results directories");
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException("merge: no such directory: " + d);
            }
            if (out.toAbsolutePath().normalize().startsWith(d.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("merge: the output " + out + " must not be inside a shard's directory " + d);
            }
        }
        if (Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("merge: the output directory " + out + " is not empty");
                }
            }
        }
        List<String> problems = new ArrayList<>();
        boolean validations = dirs.stream().allMatch(d -> !Files.exists(d.resolve("results.json"))
                && Files.isRegularFile(d.resolve(ReportWriter.JSON)));
        if (!validations) {
            Files.createDirectories(out);
            ExitCode code = mergeRuns(dirs, out, problems);
            ReportWriter.writeAll(out, List.of(out), Optional.empty(), command);
            return new Outcome(out, code, problems);
        }
        // validate: base, patched (or the variants) in the first shard's order, each merged on its own
        JsonNode summary = JSON.readTree(dirs.get(0).resolve(ReportWriter.JSON).toFile());
        List<String> labels = new ArrayList<>();
        summary.path("runs").forEach(r -> labels.add(Path.of(r.path("dir").asText()).getFileName().toString()));
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("merge: " + dirs.get(0) + " holds no kernel runs (its summary.json lists none)");
        }
        List<Path> merged = new ArrayList<>();
        for (String label : labels) {
            Path o = out.resolve(label);
            Files.createDirectories(o);
            List<String> p = new ArrayList<>();
            mergeRuns(dirs.stream().map(d -> d.resolve(label)).toList(), o, p);
            p.forEach(x -> problems.add(label + ": " + x));
            merged.add(o);
        }
        int base = Math.max(0, labels.indexOf(summary.path("base").asText("")));
        ReportWriter.Result r = ReportWriter.writeAll(out, merged, Optional.of(base), command);
        return new Outcome(out, r.verdict().exitCode, problems);
    }

    /** Merges one kernel's shard runs into {@code out} (results.json, crashes.json, VM consoles); returns its exit code. */
    static ExitCode mergeRuns(List<Path> dirs, Path out, List<String> problems) throws IOException {
        TreeMap<Integer, ObjectNode> shards = new TreeMap<>();
        Map<Integer, Path> dirOf = new LinkedHashMap<>();
        Integer count = null;
        ObjectNode first = null;
        for (Path d : dirs) {
            Path results = d.resolve("results.json");
            if (!Files.isRegularFile(results)) {
                problems.add(d + ": no results.json (that shard's run did not finish)");
                continue;
            }
            ObjectNode root = (ObjectNode) JSON.readTree(results.toFile());
            JsonNode shard = root.path("shard");
            if (!shard.isObject() || !shard.has("index")) {
                throw new IllegalArgumentException("merge: " + d + " is not a shard's results (run it with --shard I/N)");
            }
            int index = shard.path("index").asInt();
            if (first == null) {
                first = root;
                count = shard.path("count").asInt();
            } else {
                same(first, root, d, dirOf.values().iterator().next());
            }
            if (shards.containsKey(index)) {
                throw new IllegalArgumentException("merge: shard " + index + "/" + count + " given twice: "
                        + dirOf.get(index) + " and " + d);
            }
            shards.put(index, root);
            dirOf.put(index, d);
        }
        if (first == null) {
            throw new IllegalArgumentException("merge: none of the directories holds a shard's results.json");
        }
        List<String> plan = strings(first.path("shard").path("selectionPlan"));
        List<Integer> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (!shards.containsKey(i)) {
                missing.add(i);
                problems.add("shard " + i + "/" + count + " missing");
            }
        }
        Map<String, JsonNode> tests = new LinkedHashMap<>();
        ObjectNode merged = first.deepCopy();
        ArrayNode crashes = JSON.createArrayNode();
        ArrayNode known = JSON.createArrayNode();
        ArrayNode vms = JSON.createArrayNode();
        ArrayNode infra = JSON.createArrayNode();
        ArrayNode recovery = JSON.createArrayNode();
        ArrayNode confirmations = JSON.createArrayNode();
        ObjectNode notes = JSON.createObjectNode();
        ArrayNode shardList = JSON.createArrayNode();
        List<String> incomplete = new ArrayList<>();
        ExitCode code = ExitCode.OK;
        boolean infraFailure = false;
        int offset = 0;
        for (var e : shards.entrySet()) {
            int index = e.getKey();
            ObjectNode root = e.getValue();
            Path dir = dirOf.get(index);
            String name = index + "/" + count;
            for (JsonNode t : root.path("tests")) {
                String id = t.path("id").asText();
                if (tests.put(id, t) != null) {
                    throw new IllegalArgumentException("merge: " + id + " ran in two shards (shard " + name + " and an"
                            + " earlier one): the shards were split differently (did test-durations.tsv differ?)");
                }
            }
            int maxVm = 0;
            for (JsonNode v : root.path("vms")) {
                maxVm = Math.max(maxVm, v.path("index").asInt());
                vms.add(renumbered(v, "index", offset));
            }
            int shift = offset;
            root.path("crashes").forEach(c -> crashes.add(renumbered(c, "vm", shift)));
            root.path("knownIssues").forEach(c -> known.add(renumbered(c, "vm", shift)));
            root.path("infrastructure").forEach(c -> infra.add(renumbered(c, "vm", shift)));
            root.path("recoverySeconds").forEach(recovery::add);
            root.path("confirmations").forEach(confirmations::add);
            root.path("notes").fields().forEachRemaining(n -> {
                ObjectNode into = notes.has(n.getKey()) ? (ObjectNode) notes.get(n.getKey()) : notes.putObject(n.getKey());
                into.setAll((ObjectNode) n.getValue());
            });
            if (!root.path("incomplete").isNull() && !root.path("incomplete").asText("").isEmpty()) {
                incomplete.add("shard " + name + ": " + root.path("incomplete").asText());
            }
            infraFailure |= root.path("infrastructureFailure").asBoolean(false);
            if (root.path("bootFailure").isObject() && !merged.path("bootFailure").isObject()) {
                ObjectNode b = renumbered(root.path("bootFailure"), "vm", offset);
                b.put("console", out.resolve("vm-" + b.path("vm").asInt()).resolve("console.log").toString());
                merged.set("bootFailure", b);
            }
            ExitCode shardCode = ExitCode.ofCode(root.path("exitCode").asInt(ExitCode.INCOMPLETE.code));
            code = ExitCode.worst(code, shardCode);
            shardList.addObject().put("index", index).put("dir", dir.toAbsolutePath().toString())
                    .put("tests", root.path("tests").size()).put("exitCode", shardCode.code);
            copyOutputs(dir, out, offset, maxVm);
            offset += maxVm;
        }
        ArrayNode testArray = JSON.createArrayNode();
        int n = count;
        String missingText = missing.isEmpty() ? null : "not run: shard" + (missing.size() > 1 ? "s " : " ")
                + String.join(", ", missing.stream().map(i -> i + "/" + n).toList()) + " missing from the merge";
        for (String id : plan) {
            JsonNode t = tests.remove(id);
            if (t == null) {
                t = JSON.createObjectNode().put("id", id).put("status", "NOT_RUN").put("millis", 0)
                        .put("message", missingText != null ? missingText : "not run: no shard reported it");
            }
            testArray.add(t);
        }
        tests.values().forEach(testArray::add); // reported but not planned (should not happen): kept, never dropped
        if (missingText != null) {
            incomplete.add(missingText.substring("not run: ".length()));
            code = ExitCode.worst(code, ExitCode.INCOMPLETE);
        }
        merged.set("plan", JSON.valueToTree(plan));
        merged.set("tests", testArray);
        merged.set("crashes", crashes);
        merged.set("knownIssues", known);
        merged.set("vms", vms);
        merged.set("infrastructure", infra);
        merged.set("recoverySeconds", recovery);
        merged.set("notes", notes);
        if (!confirmations.isEmpty()) {
            merged.set("confirmations", confirmations);
        }
        merged.put("incomplete", incomplete.isEmpty() ? null : String.join("; ", incomplete));
        merged.put("infrastructureFailure", infraFailure);
        merged.put("exitCode", code.code);
        ObjectNode shard = merged.putObject("shard");
        shard.put("merged", true).put("count", count).put("selection", first.path("shard").path("selection").asText(null));
        shard.set("selectionPlan", JSON.valueToTree(plan));
        shard.set("shards", shardList);
        shard.set("missing", JSON.valueToTree(missing));
        JSON.writeValue(out.resolve("results.json").toFile(), merged);
        ObjectNode crashFile = JSON.createObjectNode();
        for (String k : List.of("schema", "schemaVersion", "harness", "startedAt")) {
            if (first.has(k)) {
                crashFile.set(k, first.get(k));
            }
        }
        crashFile.put("schema", "hmmtest-crashes");
        crashFile.set("crashes", crashes);
        JSON.writeValue(out.resolve("crashes.json").toFile(), crashFile);
        return code;
    }

    /** Shards of one merge must be of the same selection, split and kernel. */
    private static void same(JsonNode a, JsonNode b, Path dirB, Path dirA) {
        JsonNode sa = a.path("shard");
        JsonNode sb = b.path("shard");
        if (sa.path("count").asInt() != sb.path("count").asInt()) {
            throw new IllegalArgumentException("merge: " + dirA + " is a shard of " + sa.path("count").asInt() + ", "
                    + dirB + " of " + sb.path("count").asInt() + ": not shards of one run");
        }
        if (!sa.path("selection").equals(sb.path("selection")) || !sa.path("selectionPlan").equals(sb.path("selectionPlan"))) {
            throw new IllegalArgumentException("merge: " + dirA + " and " + dirB + " are shards of different selections ('"
                    + sa.path("selection").asText("all") + "' and '" + sb.path("selection").asText("all") + "')");
        }
        String ka = a.path("kernelManifest").path("key").asText(a.path("kernelRelease").asText(""));
        String kb = b.path("kernelManifest").path("key").asText(b.path("kernelRelease").asText(""));
        if (!ka.equals(kb)) {
            throw new IllegalArgumentException("merge: " + dirA + " and " + dirB + " ran different kernels (build keys "
                    + ka + " and " + kb + ")");
        }
    }

    private static ObjectNode renumbered(JsonNode node, String field, int offset) {
        ObjectNode copy = (ObjectNode) node.deepCopy();
        if (copy.has(field) && copy.get(field).isInt()) {
            copy.put(field, copy.get(field).asInt() + offset);
        }
        return copy;
    }

    /** The shard's VM consoles under their new numbers, its reruns, and the upstream selftest's output. */
    private static void copyOutputs(Path dir, Path out, int offset, int maxVm) throws IOException {
        for (int vm = 1; vm <= maxVm; vm++) {
            Path from = dir.resolve("vm-" + vm);
            if (Files.isDirectory(from)) {
                FileUtils.copyDirectory(from.toFile(), out.resolve("vm-" + (vm + offset)).toFile());
            }
        }
        for (String sub : List.of("confirm", "on-base")) {
            if (Files.isDirectory(dir.resolve(sub))) {
                FileUtils.copyDirectory(dir.resolve(sub).toFile(), out.resolve(sub).toFile()); // tests differ: no clash
            }
        }
        for (String f : List.of("upstream-hmm-tests.ktap", "agreement.txt", "agreement.json")) {
            if (Files.isRegularFile(dir.resolve(f))) {
                FileUtils.copyFile(dir.resolve(f).toFile(), out.resolve(f).toFile());
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
