package hmmtest.lava;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmmtest.image.GuestImage;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.kernel.KernelBuild;
import hmmtest.pipeline.KernelRun;
import hmmtest.protocol.TestMarker;
import hmmtest.protocol.TestSelection;
import hmmtest.protocol.WorkOrder;
import hmmtest.session.RunSettings;
import hmmtest.session.Timeouts;
import hmmtest.vm.Machine;
import hmmtest.vm.QemuVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LAVA job that boots the kernel and guest image a run would boot, under LAVA's {@code qemu}
 * device type without KVM, and reports each test's verdict to LAVA from the console (a
 * {@code monitors} test action over the guest's end markers, {@link TestMarker}). The guest's
 * result records go, as in our own VMs, to a virtio-serial port backed by a file in the job's
 * output directory, from which {@link LavaResults} rebuilds our results and reports.
 *
 * <p>A job directory holds: {@value #JOB} (the definition), {@value #DEVICE} (the rendered
 * {@code qemu} device for a local {@code lava-run}), {@value #DEVICE_DICT} (the device dictionary a
 * LAVA server would render it from), the kernel and image the job deploys from {@code file://}
 * URLs, and {@value #OUTPUT}/ (lava-run's --output-dir, with {@value #FACTS}: what lava-results needs).
 */
public final class LavaJob {
    public static final String JOB = "job.yaml";
    public static final String DEVICE = "device.yaml";
    public static final String DEVICE_DICT = "device-dictionary.jinja2";
    public static final String OUTPUT = "output";
    /** In the output directory: the kernel, selection and settings of the job (written by lava-job). */
    public static final String FACTS = "hmmtest-job.json";
    /** In the output directory: the guest's result records (QEMU's file chardev). */
    public static final String RECORDS = "results.log";
    /** In the output directory: the kernel build's manifest and config (the reports name the kernel by them). */
    public static final String KERNEL = "kernel";
    /** In the output directory: lava-run's log (its stderr, one YAML mapping a line). */
    public static final String LOG = "lava-log.yaml";

    /** The boot is over and the guest's init runs: the kernel's last line before /init (a pr_info, on the console). */
    static final String BOOT_PROMPT = "Run /init as init process";
    /** The init script's line when the guest harness is gone (vm-images/init). */
    static final String HARNESS_EXITED = "hmmtest-init: guest harness exited with";
    /** LAVA's monitor name: the "definition" of each test case LAVA records. */
    public static final String SUITE = "hmmtest";
    /** Our statuses as LAVA's results (LAVA has pass, fail, skip, unknown). */
    static final Map<String, String> LAVA_RESULT = Map.of("PASS", "pass", "FAIL", "fail", "ERROR", "fail", "SKIP", "skip");

    private LavaJob() {}

    /** What was written. */
    public record Written(Path dir, Path job, Path device, Path output, Duration timeout) {
        /** The local dispatcher's command line for this job. */
        public List<String> lavaRun(String jobId) {
            return List.of(LavaRun.binary(), "--device", device.toString(), "--job-id", jobId, "--output-dir", output.toString(),
                    job.toString());
        }
    }

    /**
     * Refuses what one LAVA job cannot do, before anything is built: crash probes (a kernel panic
     * ends the job; LAVA has no fresh VM to go on in), several VMs or a shard.
     */
    public static void check(RunSettings s, Path dir) {
        if (s.select() != null && s.select().contains(TestSelection.PROBE_PREFIX)) {
            throw new HarnessException(ExitCode.USAGE, "--select names crash probes (" + TestSelection.PROBE_PREFIX
                    + "*): a kernel panic ends a LAVA job, which has no fresh VM to go on in; run crash probes with"
                    + " `hmmtest run` (README, \"LAVA\")");
        }
        if (s.jobs() > 1 || s.shard() != null) {
            throw new HarnessException(ExitCode.USAGE, "--jobs and --shard are not for lava-job: a LAVA job is one VM;"
                    + " a lab runs many jobs at once on its own");
        }
        if (dir.toAbsolutePath().toString().matches(".*\\s.*")) {
            // LAVA joins its QEMU command line with spaces and splits it again
            throw new HarnessException(ExitCode.USAGE, "the job directory's path must not contain spaces: " + dir);
        }
    }

    /** Writes the job for kernel {@code b} ({@link KernelRun#prepare}) and settings {@code s} into {@code dir}. */
    public static Written write(Path dir, KernelRun.Bootable b, String label, RunSettings s) throws IOException {
        check(s, dir);
        dir = dir.toAbsolutePath().normalize();
        Path output = dir.resolve(OUTPUT);
        Files.createDirectories(output);
        WorkOrder order = WorkOrder.suite(s.select(), null, 0);
        Path kernel = Files.copy(b.build().bzImage(), dir.resolve("bzImage"), StandardCopyOption.REPLACE_EXISTING);
        Path initrd = dir.resolve(GuestImage.FILE_NAME);
        if (order.files().isEmpty()) {
            Files.copy(b.initrd(), initrd, StandardCopyOption.REPLACE_EXISTING);
        } else {
            GuestImage.withExtraFiles(b.initrd(), order.files(), initrd); // a selection too long for the command line
        }
        List<String> cmdline = new ArrayList<>(KernelRun.kernelArgs(s));
        cmdline.addAll(order.kernelArgs());
        Timeouts t = Timeouts.defaults(false, s.wholeRun());
        if (s.perTest() != null) {
            t = t.withPerTest(s.perTest());
        }
        List<String> extra = extraOptions(output.resolve(RECORDS));
        Path job = dir.resolve(JOB);
        Files.writeString(job, jobYaml(label, b.build(), s, t, kernel, initrd, cmdline, extra));
        Path device = dir.resolve(DEVICE);
        Files.writeString(device, deviceYaml(s.memoryMb(), extra));
        Files.writeString(dir.resolve(DEVICE_DICT), deviceDictionary());
        Duration timeout = jobTimeout(t);
        writeFacts(output.resolve(FACTS), label, b.build(), s, cmdline, timeout);
        Path kernelFacts = Files.createDirectories(output.resolve(KERNEL));
        Files.copy(b.build().manifestFile(), kernelFacts.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(b.build().dotConfig(), kernelFacts.resolve("config"), StandardCopyOption.REPLACE_EXISTING);
        return new Written(dir, job, device, output, timeout);
    }

    /** The whole job: deploy (a copy of 100 MiB), the boot, the suite, and LAVA's own start and end. */
    static Duration jobTimeout(Timeouts t) {
        return Duration.ofMinutes(3).plus(t.boot()).plus(t.wholeRun());
    }

    /**
     * What our VMs have beyond LAVA's qemu device type: two vCPUs (the session's), no reboot (the
     * guest's reboot at the end, and a panic's, end QEMU), and the result port backed by a file.
     * No control port: a LAVA job boots cold with its work on the kernel command line.
     */
    static List<String> extraOptions(Path records) {
        return List.of("-smp " + Machine.CPUS, "-accel tcg,thread=multi", "-no-reboot", "-device virtio-serial-pci",
                "-chardev file,id=results,path=" + records,
                "-device virtserialport,chardev=results,name=" + QemuVm.RESULT_PORT);
    }

    static String jobYaml(String label, KernelBuild build, RunSettings s, Timeouts t, Path kernel, Path initrd,
            List<String> cmdline, List<String> extra) {
        String select = s.select() == null ? "the whole suite" : s.select();
        StringBuilder y = new StringBuilder();
        y.append("# Written by `hmmtest lava-job` (README, \"LAVA\"): kernel ").append(build.kernelRelease()).append(" (")
                .append(label).append("), ").append(select).append(".\n");
        y.append("# Each test is a LAVA test case of the suite '").append(SUITE)
                .append("', read from the guest's end markers on the console.\n");
        y.append("device_type: qemu\n");
        y.append("job_name: ").append(q("hmmtest " + label + ": " + select)).append('\n');
        y.append("visibility: public\npriority: medium\n");
        y.append("timeouts:\n");
        y.append("  job: {seconds: ").append(jobTimeout(t).toSeconds()).append("}\n");
        y.append("  action: {minutes: 5}\n");
        // monitors: a test's verdict is due within the per-test timeout, as in our own sessions
        y.append("  connection: {seconds: ").append(t.perTest().toSeconds()).append("}\n");
        y.append("context:\n");
        y.append("  arch: amd64\n");
        y.append("  no_kvm: true\n");
        y.append("  memory: ").append(s.memoryMb()).append('\n');
        y.append("  extra_options:\n");
        extra.forEach(o -> y.append("  - ").append(q(o)).append('\n'));
        y.append("metadata:\n");
        y.append("  hmmtest.kernel: ").append(q(label + " " + build.kernelRelease())).append('\n');
        y.append("  hmmtest.select: ").append(q(select)).append('\n');
        y.append("actions:\n");
        y.append("- deploy:\n");
        y.append("    to: tmpfs\n");
        y.append("    timeout: {minutes: 3}\n");
        y.append("    images:\n");
        y.append("      kernel:\n");
        y.append("        url: ").append(q(kernel.toUri().toString())).append('\n');
        y.append("        image_arg: ").append(q("-kernel {kernel} -append \"" + String.join(" ", cmdline) + "\"")).append('\n');
        y.append("      initrd:\n");
        y.append("        url: ").append(q(initrd.toUri().toString())).append('\n');
        y.append("        image_arg: ").append(q("-initrd {initrd}")).append('\n');
        y.append("- boot:\n");
        y.append("    method: qemu\n");
        y.append("    media: tmpfs\n");
        y.append("    timeout: {seconds: ").append(t.boot().toSeconds()).append("}\n");
        y.append("    prompts:\n");
        y.append("    - ").append(q(BOOT_PROMPT)).append('\n');
        y.append("- test:\n");
        y.append("    timeout: {seconds: ").append(t.wholeRun().toSeconds()).append("}\n");
        y.append("    monitors:\n");
        y.append("    - name: ").append(SUITE).append('\n');
        y.append("      start: ").append(q(TestMarker.startText(""))).append('\n');
        y.append("      end: ").append(q(HARNESS_EXITED)).append('\n');
        // the statuses spelled out: pexpect matches as soon as it can, and "[A-Z]+" matched the "P" of a PASS still arriving
        y.append("      pattern: ").append(q(TestMarker.endRegex("(?P<test_case_id>\\S+)",
                "(?P<result>" + String.join("|", new java.util.TreeSet<>(LAVA_RESULT.keySet())) + ")"))).append('\n');
        y.append("      fixupdict:\n");
        new java.util.TreeMap<>(LAVA_RESULT).forEach((k, v) -> y.append("        ").append(k).append(": ").append(v).append('\n'));
        return y.toString();
    }

    /**
     * LAVA's qemu device type (lava-server's qemu.jinja2 of 2023.01) rendered for this job's
     * context: the command, its options (KVM off, memory) and the extra options, the architectures.
     * lava-run takes a rendered device; a server renders it from {@link #deviceDictionary} and the job's context.
     */
    static String deviceYaml(int memoryMb, List<String> extra) {
        StringBuilder y = new StringBuilder();
        y.append("# Written by `hmmtest lava-job`: LAVA's qemu device type rendered with the job's context\n");
        y.append("# (arch amd64, no_kvm, memory, extra_options), for a local `lava-run --device`.\n");
        y.append("device_type: qemu\n");
        y.append("constants:\n");
        y.append("  posix: {lava_test_sh_cmd: /bin/sh, lava_test_results_dir: /lava-%s, lava_test_shell_file: ~/.bashrc}\n");
        y.append("  shutdown-message: 'The system is going down for reboot NOW'\n");
        y.append("  kernel-start-message: 'Linux version [0-9]'\n");
        y.append("  default-shell-prompt: 'lava-test: # '\n");
        y.append("  spawn_maxread: '4092'\n");
        y.append("  failure_retry: 1\n");
        y.append("  boot_retry: null\n");
        y.append("parameters: {}\n");
        y.append("commands: {}\n");
        y.append("available_architectures: [amd64, x86_64]\n");
        y.append("actions:\n");
        y.append("  deploy:\n");
        y.append("    connections: {serial: null}\n");
        y.append("    methods:\n");
        y.append("      tmpfs: null\n");
        y.append("      image:\n");
        y.append("        parameters: {guest: {size: 512, interface: ide, driveid: lavatest}}\n");
        y.append("  boot:\n");
        y.append("    connections: {serial: null}\n");
        y.append("    methods:\n");
        y.append("      qemu:\n");
        y.append("        parameters:\n");
        y.append("          command: qemu-system-x86_64\n");
        y.append("          boot_options: {root: /dev/sda1, console: 'ttyS0,115200', boot_order: c}\n");
        y.append("          options:\n");
        y.append("          - -nographic\n");
        y.append("          - -net nic,model=virtio,macaddr=52:54:00:12:34:58 -net user\n");
        y.append("          - -m ").append(memoryMb).append('\n');
        y.append("          - -monitor none\n");
        y.append("          extra:\n");
        extra.forEach(o -> y.append("          - ").append(q(o)).append('\n'));
        y.append("timeouts:\n");
        y.append("  actions: {}\n");
        y.append("  connections: {}\n");
        return y.toString();
    }

    /** For a LAVA server: the device of type qemu that runs these jobs (KVM and memory come from each job's context). */
    static String deviceDictionary() {
        return "{# A qemu device for hmmtest's LAVA jobs (README, \"LAVA\"); the jobs set arch, no_kvm, memory and\n"
                + "   extra_options in their context. #}\n"
                + "{% extends 'qemu.jinja2' %}\n";
    }

    private static void writeFacts(Path file, String label, KernelBuild build, RunSettings s, List<String> cmdline,
            Duration timeout) throws IOException {
        Map<String, Object> m = hmmtest.infra.Harness.header("hmmtest-lava-job", Instant.now());
        m.put("variant", label);
        m.put("kernelBuild", build.dir().toString());
        m.put("kernelRelease", build.kernelRelease());
        m.put("select", s.select());
        m.put("strict", s.strict());
        m.put("memoryMb", s.memoryMb());
        m.put("wholeRunSeconds", s.wholeRun().toSeconds());
        m.put("perTestSeconds", s.perTest() == null ? null : s.perTest().toSeconds());
        m.put("kernelCommandLine", cmdline);
        m.put("jobTimeoutSeconds", timeout.toSeconds());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), m);
    }

    /** A YAML double-quoted scalar: a JSON string literal is one. */
    static String q(String s) {
        try {
            return new ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Facts of a written job, as lava-results reads them back. */
    static Map<String, Object> readFacts(Path output) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = new ObjectMapper().readValue(output.resolve(FACTS).toFile(), LinkedHashMap.class);
        return m;
    }
}
