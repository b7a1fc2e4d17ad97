package hmmtest.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kernel built elsewhere is checked before anything boots: releases must match, the config must suffice. */
class PrebuiltKernelTest {
    @TempDir
    Path tmp;

    /** The x86 boot header's parts the check reads: "HdrS" at 0x202, kernel_version at 0x20e. */
    private Path bzImage(String version) throws IOException {
        byte[] b = new byte[0x600];
        System.arraycopy("HdrS".getBytes(StandardCharsets.US_ASCII), 0, b, 0x202, 4);
        int ptr = 0x200;
        b[0x20e] = (byte) (ptr & 0xff);
        b[0x20f] = (byte) (ptr >> 8);
        byte[] v = (version + " (builder@host) #1 SMP PREEMPT_DYNAMIC").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, b, ptr + 0x200, v.length);
        return Files.write(tmp.resolve("bzImage-" + version), b);
    }

    private Path module(String release) throws IOException {
        String body = "\u007fELF\u0002\u0001\u0001\0\0license=GPL\0vermagic=" + release + " SMP preempt mod_unload \0name=test_hmm\0";
        return Files.write(tmp.resolve("test_hmm-" + release + ".ko"), body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static KconfigFragment needs() {
        return KconfigFragment.parse("hmm.config", "CONFIG_TEST_HMM=m\nCONFIG_DEVICE_PRIVATE=y\n");
    }

    @Test
    void readsBothReleases() throws IOException {
        assertEquals("7.3.4", PrebuiltKernel.bzImageRelease(bzImage("7.3.4")));
        assertEquals("6.12.117", PrebuiltKernel.moduleRelease(module("6.12.117")));
    }

    @Test
    void aModuleFromAnotherKernelIsRefusedNamingBothReleases() throws IOException {
        var p = new KernelBase.Prebuilt(bzImage("7.3.4"), module("6.12.117"), null);
        HarnessException e = assertThrows(HarnessException.class, () -> PrebuiltKernel.verify(p, needs()));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("6.12.117") && e.getMessage().contains("7.3.4"), e.getMessage());
    }

    @Test
    void aConfigMissingWhatTheSuiteNeedsIsRefusedNamingTheSymbols() throws IOException {
        Path config = Files.writeString(tmp.resolve("config"), "CONFIG_TEST_HMM=m\n# CONFIG_DEVICE_PRIVATE is not set\n");
        var p = new KernelBase.Prebuilt(bzImage("7.3.4"), module("7.3.4"), config);
        HarnessException e = assertThrows(HarnessException.class, () -> PrebuiltKernel.verify(p, needs()));
        assertEquals(ExitCode.CONFIG_REJECTED, e.exitCode());
        assertTrue(e.getMessage().contains("CONFIG_DEVICE_PRIVATE=y needed"), e.getMessage());
    }

    @Test
    void matchingFilesPass() throws IOException {
        Path config = Files.writeString(tmp.resolve("config"), "CONFIG_TEST_HMM=m\nCONFIG_DEVICE_PRIVATE=y\n");
        assertEquals("7.3.4", PrebuiltKernel.verify(new KernelBase.Prebuilt(bzImage("7.3.4"), module("7.3.4"), config), needs()));
    }

    @Test
    void notAKernelIsAUsageError() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk"), "hello");
        assertEquals(ExitCode.USAGE, assertThrows(HarnessException.class, () -> PrebuiltKernel.bzImageRelease(junk)).exitCode());
        assertEquals(ExitCode.USAGE, assertThrows(HarnessException.class, () -> PrebuiltKernel.moduleRelease(junk)).exitCode());
    }
}
