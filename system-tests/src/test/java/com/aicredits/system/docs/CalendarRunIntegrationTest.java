package com.aicredits.system.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code make test-calendar}'s runner (local/test-calendar.sh) really moves the clock: the command it runs, and a JVM
 * it starts, see the instant asked for (29 February of a leap year) and a clock that runs from it. The whole calendar
 * run takes hours (libfaketime slows the JVM about tenfold), so {@code make test} checks the runner, not the eight runs.
 */
class CalendarRunIntegrationTest {
    private static final Path ROOT = CloudFormationTemplate.find().getParent();

    @Test
    void theRunnerStartsItsCommandAtTheInstantAskedAndTheClockRuns() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path program = Files.createTempFile("now", ".java");
        Files.writeString(program, """
                public class Now { public static void main(String[] a) throws Exception {
                    System.out.println("at " + java.time.Instant.now()); Thread.sleep(1100);
                    System.out.println("then " + java.time.Instant.now()); } }""");
        ProcessBuilder command = new ProcessBuilder("bash", "local/test-calendar.sh", java, program.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true);
        command.environment().put("INSTANTS", "2028-02-29 12:00:00");
        Process run = command.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("[test-calendar] 2028-02-29 12:00:00: passed");
        String log = Files.readString(ROOT.resolve("target/calendar-2028-02-29-12-00-00.log"));
        Instant at = instantAfter(log, "at ");
        Instant then = instantAfter(log, "then ");
        assertThat(at).isBetween(Instant.parse("2028-02-29T12:00:00Z"), Instant.parse("2028-02-29T12:02:00Z"));
        assertThat(Duration.between(at, then)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    private static Instant instantAfter(String log, String label) {
        Matcher line = Pattern.compile("(?m)^" + label + "(\\S+)$").matcher(log);
        assertThat(line.find()).as(log).isTrue();
        return Instant.parse(line.group(1));
    }
}
