package hmmtest.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import hmmtest.infra.CacheDir;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * One run of the CLI inside the toolchain image: the checkout and the cache mounted read-write at
 * the same paths (so results/, target/ and every cache entry are where the host expects them),
 * the machine's /etc/apt read-only, no network, {@code --init} so the JVM is not PID 1, the host
 * user's uid:gid. The inner CLI's stdout and stderr are streamed live to ours; its exit code is
 * returned. The container is stopped and removed on every path, Ctrl-C and SIGTERM included.
 */
final class ContainerRun {
    static final String LABEL = "hmmtest.backend";
    static final String OWNER_LABEL = "hmmtest.owner";

    private ContainerRun() {}

    record Mount(Path path, boolean writable) {}

    static int run(ToolchainImage.Image image, Invocation inv, Path checkout, CacheDir cache, Map<String, String> hostEnv) {
        Path hostJar = checkout.resolve("java/host/target/hmmtest-host.jar");
        if (!Files.isRegularFile(hostJar) || !Files.isDirectory(checkout.resolve("java/host/target/lib"))) {
            throw new HarnessException(ExitCode.BUILD_FAILED, hostJar + " or its lib/ is missing: the container runs"
                    + " the jars Maven built on the host (run `make jars` or `mvn package`)");
        }
        List<Mount> mounts = mounts(checkout, cache.root(), inv);
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        Path workDir = mounts.stream().anyMatch(m -> cwd.startsWith(m.path()) && Files.isDirectory(m.path()))
                ? cwd : checkout;
        int uid = id("uid");
        int gid = id("gid");

        String owner = hostname() + ":" + ProcessHandle.current().pid();
        String name = "hmmtest-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        Path heartbeat = cache.dir("container").resolve(name + ".alive");
        List<String> command = new ArrayList<>(List.of(checkout.resolve("container/run-inside").toString(),
                heartbeat.toString(), "java", "-Dhmmtest.home=" + checkout, "-cp",
                hostJar + ":" + checkout.resolve("java/host/target/lib") + "/*", "hmmtest.cli.Main"));
        command.addAll(inv.args());

        Map<String, String> env = new LinkedHashMap<>();
        env.put(Backend.ENV, "local");
        env.put(Backend.IN_CONTAINER_ENV, "1");
        env.put("HMMTEST_TOOLCHAIN", image.toolchain());
        env.put("HMMTEST_CACHE", cache.root().toString());
        env.put("HOME", uid == 0 ? "/root" : "/tmp");
        // The container gets no /dev/kvm: only TCG can work in it (these machines' KVM hangs anyway).
        env.put("ACCEL", hostEnv.getOrDefault("ACCEL", "tcg"));

        List<Bind> binds = mounts.stream()
                .map(m -> new Bind(m.path().toString(), new Volume(m.path().toString()),
                        m.writable() ? AccessMode.rw : AccessMode.ro))
                .toList();

        TestcontainersEnv.quietLogging();
        sweepStale(DockerClientFactory.instance().client(), heartbeat.getParent());

        @SuppressWarnings("resource") // stopped and removed in finally / the shutdown hook
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.tag()))
                .withImagePullPolicy(imageName -> false)
                .withNetworkMode("none")
                .withLabel(LABEL, "container")
                .withLabel(OWNER_LABEL, owner)
                .withEnv(env)
                .withWorkingDirectory(workDir.toString())
                .withCommand(command.toArray(String[]::new))
                .withStartupCheckStrategy(new Started())
                .waitingFor(new NoWait())
                .withCreateContainerCmdModifier(cmd -> {
                    HostConfig hc = cmd.getHostConfig() == null ? HostConfig.newHostConfig() : cmd.getHostConfig();
                    cmd.withName(name).withUser(uid + ":" + gid)
                            .withHostConfig(hc.withInit(true).withBinds(binds).withNetworkMode("none"));
                });

        AtomicBoolean removed = new AtomicBoolean();
        Thread hook = new Thread(() -> remove(c, removed, true), "remove-container");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "container-heartbeat");
            t.setDaemon(true);
            return t;
        });
        touch(heartbeat);
        beat.scheduleAtFixedRate(() -> touch(heartbeat), 2, 2, TimeUnit.SECONDS);
        try {
            Progress.info("container", image.tag() + ": " + String.join(" ", inv.args()) + "  (network none, "
                    + mounts.size() + " mounts, toolchain " + image.toolchain() + ")");
            c.start();
            String id = c.getContainerId();
            DockerClient dc = c.getDockerClient();
            try (Streamer s = dc.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(new Streamer())) {
                s.awaitCompletion();
            }
            return dc.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED.code;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            beat.shutdownNow();
            remove(c, removed, false);
            CacheDir.deleteQuietly(heartbeat);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** Stops (SIGTERM first on an interrupted run, so the inner CLI's hooks kill QEMU) and removes. */
    private static void remove(GenericContainer<?> c, AtomicBoolean removed, boolean interrupted) {
        if (!removed.compareAndSet(false, true) || c.getContainerId() == null) {
            return;
        }
        try {
            if (interrupted) {
                c.getDockerClient().stopContainerCmd(c.getContainerId()).withTimeout(10).exec();
            }
        } catch (RuntimeException ignored) {
            // already stopped
        }
        c.stop(); // kill if still running, remove with its volumes
    }

    /** The mounts: checkout and cache read-write, /etc/apt read-only, paths named on the command line. */
    static List<Mount> mounts(Path checkout, Path cacheRoot, Invocation inv) {
        List<Mount> out = new ArrayList<>();
        add(out, new Mount(checkout, true));
        try {
            Files.createDirectories(cacheRoot);
            for (Path p : inv.readWrite()) {
                Files.createDirectories(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        add(out, new Mount(cacheRoot, true));
        inv.readWrite().forEach(p -> add(out, new Mount(p, true)));
        if (Files.isDirectory(Path.of("/etc/apt"))) {
            add(out, new Mount(Path.of("/etc/apt"), false));
        }
        inv.readOnly().stream().filter(Files::exists).forEach(p -> add(out, new Mount(p, false)));
        return out;
    }

    /** Adds a mount unless a mount already covers its path (Docker refuses duplicate mount points). */
    private static void add(List<Mount> mounts, Mount m) {
        Path p = m.path().toAbsolutePath().normalize();
        boolean covered = mounts.stream().anyMatch(x -> p.startsWith(x.path()) && (x.writable() || !m.writable()));
        if (!covered) {
            mounts.add(new Mount(p, m.writable()));
        }
    }

    /**
     * Removes containers of ours whose owning process on this host is gone (a SIGKILLed run; its
     * container/run-inside already stopped the CLI), and their heartbeat files.
     */
    static void sweepStale(DockerClient dc, Path heartbeats) {
        try (var files = Files.list(heartbeats)) {
            files.filter(f -> f.getFileName().toString().matches("hmmtest-[0-9]+-[0-9a-f]+\\.alive"))
                    .filter(f -> !ProcessHandle.of(Long.parseLong(f.getFileName().toString().split("-")[1]))
                            .map(ProcessHandle::isAlive).orElse(false))
                    .forEach(CacheDir::deleteQuietly);
        } catch (IOException e) {
            // best effort
        }
        String host = hostname() + ":";
        for (Container ct : dc.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "container")).exec()) {
            String owner = ct.getLabels() == null ? null : ct.getLabels().get(OWNER_LABEL);
            if (owner == null || !owner.startsWith(host)) {
                continue;
            }
            long pid = Long.parseLong(owner.substring(host.length()));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            Progress.info("container", "removing stale container " + ct.getId().substring(0, 12) + " of dead run " + owner);
            try {
                dc.removeContainerCmd(ct.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException ignored) {
                // gone meanwhile
            }
        }
    }

    /** The host side is alive: container/run-inside stops the CLI when this file gets older than 30 s. */
    private static void touch(Path heartbeat) {
        try {
            if (!Files.exists(heartbeat)) {
                Files.createFile(heartbeat);
            }
            Files.setLastModifiedTime(heartbeat, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        } catch (IOException e) {
            // next beat retries; 15 missed beats stop the run
        }
    }

    private static int id(String which) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + which);
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Copies the container's output frames to our stdout/stderr as they arrive. */
    static final class Streamer extends ResultCallback.Adapter<Frame> {
        @Override
        public void onNext(Frame f) {
            PrintStream out = f.getStreamType() == StreamType.STDERR ? System.err : System.out;
            out.write(f.getPayload(), 0, f.getPayload().length);
            out.flush();
        }
    }

    /** The container runs the whole command and may exit at once (a usage error): started is enough. */
    static final class Started extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient dockerClient, String containerId) {
            return StartupStatus.SUCCESSFUL;
        }
    }

    /** Nothing to wait for: no ports, no log line; the output is streamed until the container exits. */
    static final class NoWait extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
            // nothing
        }
    }
}
