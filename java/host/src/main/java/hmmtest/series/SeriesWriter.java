package hmmtest.series;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes patches as a series directory (0001.patch, ...) that {@link SeriesReader} reads back: a prefix for bisection, a series plus a mutant. */
public final class SeriesWriter {
    private SeriesWriter() {}

    public static Path write(List<Patch> patches, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < patches.size(); i++) {
            Patch p = patches.get(i);
            StringBuilder mail = new StringBuilder("From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n");
            if (p.author() != null) {
                mail.append("From: ").append(p.author()).append('\n');
            }
            if (p.date() != null) {
                mail.append("Date: ").append(p.date()).append('\n');
            }
            mail.append("Subject: ").append(p.title()).append("\n\n");
            if (p.message() != null && !p.message().isBlank()) {
                mail.append(p.message().strip()).append('\n');
            }
            mail.append("---\n");
            Charset cs = Charset.forName(p.encoding());
            byte[] head = mail.toString().getBytes(cs);
            byte[] diff = p.diffBytes();
            byte[] all = new byte[head.length + diff.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(diff, 0, all, head.length, diff.length);
            Files.write(dir.resolve(String.format("%04d.patch", i + 1)), all);
        }
        return dir;
    }
}
