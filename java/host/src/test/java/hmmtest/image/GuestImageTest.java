package hmmtest.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestImageTest {
    @TempDir
    Path dir;

    @Test
    void extraFilesAreAppendedAsASecondArchiveAfterTheUntouchedBase() throws Exception {
        Path base = dir.resolve("base.cpio.gz");
        byte[] baseBytes = {31, (byte) 139, 8, 0, 1, 2, 3};
        Files.write(base, baseBytes);
        Path out = GuestImage.withExtraFiles(base, Map.of("etc/hmmtest/replay.txt",
                "mmap id=0\n".getBytes(StandardCharsets.UTF_8)), dir.resolve("out.cpio.gz"));

        byte[] all = Files.readAllBytes(out);
        assertThat(java.util.Arrays.copyOf(all, baseBytes.length)).isEqualTo(baseBytes);
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(all, baseBytes.length,
                all.length - baseBytes.length));
                CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            for (CpioArchiveEntry e; (e = cpio.getNextCPIOEntry()) != null; ) {
                entries.put(e.getName(), e.isRegularFile() ? new String(cpio.readAllBytes(), StandardCharsets.UTF_8) : "<dir>");
            }
        }
        assertThat(entries).containsEntry("etc", "<dir>").containsEntry("etc/hmmtest", "<dir>")
                .containsEntry("etc/hmmtest/replay.txt", "mmap id=0\n");
    }
}
