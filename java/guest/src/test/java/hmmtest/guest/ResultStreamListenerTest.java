package hmmtest.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.TestMarker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class ResultStreamListenerTest {

    /** Run by the test below, not by Surefire (nested classes are not discovered). */
    static class Sample {
        @Test
        void passes() {}

        @Test
        void fails() {
            throw new AssertionError("no");
        }

        @Test
        void aborts() {
            Assumptions.abort("not here");
        }

        @Disabled("never")
        @Test
        void disabled() {}
    }

    /**
     * A reader of the console alone (a LAVA job's monitors) must see every verdict the host gets:
     * each END record has an end marker with the same status, skipped-before-start tests included.
     */
    @Test
    void everyEndRecordHasItsConsoleMarker(@TempDir Path tmp) throws Exception {
        Path records = tmp.resolve("results.log");
        ByteArrayOutputStream kmsg = new ByteArrayOutputStream();
        try (ResultChannel channel = ResultChannel.open(records.toString())) {
            ResultStreamListener listener = new ResultStreamListener(channel, new KmsgMarkers(kmsg));
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(Sample.class)).build(), listener);
        }
        List<String> fromRecords = new ArrayList<>();
        for (String line : Files.readAllLines(records)) {
            ResultRecord r = ResultRecord.decode(line);
            if (r != null && r.kind() == ResultRecord.Kind.END) {
                fromRecords.add(r.field(0).replaceFirst(".*\\.", "") + " " + r.field(1));
            }
        }
        List<String> fromMarkers = new ArrayList<>();
        java.util.regex.Pattern end = java.util.regex.Pattern.compile(TestMarker.endRegex("(\\S+)", "([A-Z]+)"));
        for (String line : kmsg.toString(StandardCharsets.UTF_8).split("\n")) {
            java.util.regex.Matcher m = end.matcher(line);
            if (m.find()) {
                fromMarkers.add(m.group(1).replaceFirst(".*\\.", "") + " " + m.group(2));
            }
        }
        assertThat(fromRecords).containsExactlyInAnyOrder("passes PASS", "fails FAIL", "aborts SKIP", "disabled SKIP");
        assertThat(fromMarkers).containsExactlyElementsOf(fromRecords);
    }
}
