package com.aicredits.local.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.testkit.TestClock;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** EventBridge cron and rate expressions, next fire times, and the events the schedules deliver. */
class SchedulesTest {
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.parse("""
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Resources:
              MonthlyResetFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: com.example.Reset::handleRequest
                  Events:
                    Monthly:
                      Type: Schedule
                      Properties:
                        Schedule: cron(0 0 1 * ? *)
              DigestFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: com.example.Digest::handleRequest
                  Events:
                    Weekdays:
                      Type: ScheduleV2
                      Properties:
                        ScheduleExpression: cron(30 8 ? * MON-FRI *)
                        ScheduleExpressionTimezone: Europe/Berlin
                        Input: '{"kind": "digest"}'
                    Hourly:
                      Type: Schedule
                      Properties:
                        Schedule: rate(1 hour)
                        Name: digest-hourly
                        Enabled: false
              CleanupFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: com.example.Cleanup::handleRequest
                  Events:
                    Often:
                      Type: ScheduleV2
                      Properties:
                        ScheduleExpression: rate(5 minutes)
                    Api:
                      Type: HttpApi
                      Properties:
                        Path: /cleanup
                        Method: post
            """);

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // the monthly reset: midnight UTC on the 1st
            "cron(0 0 1 * ? *)       | 2026-11-25T10:00:00Z | 2026-12-01T00:00:00Z",
            "cron(0 0 1 * ? *)       | 2026-12-15T00:00:00Z | 2027-01-01T00:00:00Z",
            "cron(0 0 1 * ? *)       | 2026-12-01T00:00:00Z | 2027-01-01T00:00:00Z",
            "cron(0 0 1 * ? *)       | 2026-11-30T23:59:59.999Z | 2026-12-01T00:00:00Z",
            // every field form
            "cron(*/15 * * * ? *)    | 2026-11-25T10:07:00Z | 2026-11-25T10:15:00Z",
            "cron(5/20 * * * ? *)    | 2026-11-25T10:46:00Z | 2026-11-25T11:05:00Z",
            "cron(0 9-17/4 * * ? *)  | 2026-11-25T14:00:00Z | 2026-11-25T17:00:00Z",
            "cron(0 22-2 * * ? *)    | 2026-11-25T02:00:00Z | 2026-11-25T22:00:00Z",
            "cron(15,45 6 * * ? *)   | 2026-11-25T06:15:00Z | 2026-11-25T06:45:00Z",
            "cron(0 12 ? * MON-FRI *) | 2026-11-27T12:00:00Z | 2026-11-30T12:00:00Z",
            "cron(0 12 ? * 2-6 *)    | 2026-11-27T12:00:00Z | 2026-11-30T12:00:00Z",
            "cron(0 12 ? * SUN *)    | 2026-11-25T00:00:00Z | 2026-11-29T12:00:00Z",
            "cron(0 12 ? * FRI-MON *) | 2026-11-24T00:00:00Z | 2026-11-27T12:00:00Z",
            "cron(0 0 29 2 ? *)      | 2026-03-01T00:00:00Z | 2028-02-29T00:00:00Z",
            "cron(0 0 1 JAN,JUL ? *) | 2026-02-01T00:00:00Z | 2026-07-01T00:00:00Z",
            "cron(0 0 1 * ? 2030)    | 2026-11-25T00:00:00Z | 2030-01-01T00:00:00Z",
            "cron(0 0 1 * ? 2020-2025) | 2026-11-25T00:00:00Z | ",
            "cron(0 0 31 2 ? *)      | 2026-01-01T00:00:00Z | ",
            // L, W and #
            "cron(0 0 L * ? *)       | 2026-02-10T00:00:00Z | 2026-02-28T00:00:00Z",
            "cron(0 0 LW * ? *)      | 2026-05-01T00:00:00Z | 2026-05-29T00:00:00Z",
            "cron(0 0 15W * ? *)     | 2026-11-01T00:00:00Z | 2026-11-16T00:00:00Z",
            "cron(0 0 1W * ? *)      | 2026-10-31T00:00:00Z | 2026-11-02T00:00:00Z",
            "cron(0 0 ? * 6L *)      | 2026-11-01T00:00:00Z | 2026-11-27T00:00:00Z",
            "cron(0 0 ? * 2#1 *)     | 2026-11-03T00:00:00Z | 2026-12-07T00:00:00Z",
            // rates, anchored at the epoch
            "rate(5 minutes)         | 2026-11-25T10:07:13Z | 2026-11-25T10:10:00Z",
            "rate(1 hour)            | 2026-11-25T10:00:00Z | 2026-11-25T11:00:00Z",
            "rate(1 day)             | 2026-11-25T10:00:00Z | 2026-11-26T00:00:00Z",
    })
    void nextFireTimeIsTheFirstDueTimeStrictlyAfter(String expression, Instant after, Instant expected) {
        assertThat(ScheduleExpression.parse(expression).nextAfter(after)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "cron(0 0 1 * * *)",       // both day fields set
            "cron(0 0 ? * ? *)",       // neither
            "cron(0 0 1 * ?)",         // five fields
            "cron(60 0 1 * ? *)",      // minute out of range
            "cron(0 24 1 * ? *)",      // hour out of range
            "cron(0 0 1 13 ? *)",      // month out of range
            "cron(0 0 ? * 8 *)",       // day of week out of range
            "cron(0 0 1 * ? 2200)",    // year out of range
            "cron(0 0 1,L * ? *)",     // L inside a list
            "cron(0 0 L-2 * ? *)",     // offset from the last day
            "cron(0 0 ? * 2#6 *)",     // sixth Monday
            "cron(0/0 0 1 * ? *)",     // zero step
            "cron(0 0 1 FOO ? *)",
            "rate(1 minutes)",
            "rate(5 minute)",
            "rate(0 minutes)",
            "rate(5 weeks)",
            "at(2026-12-01T00:00:00)", // ScheduleV2 only
            "every day"})
    void refusesWhatItDoesNotSupportWithAClearMessage(String expression) {
        assertThatThrownBy(() -> ScheduleExpression.parse(expression))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expression.contains("(") ? expression.substring(0, expression.indexOf('(')) : expression);
    }

    @Test
    void namesTheUnsupportedPart() {
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 L-2 * ? *)"))
                .hasMessageContaining("day-of-month field has 'L-2', which is not supported");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 0 1 * * *)"))
                .hasMessageContaining("exactly one of day-of-month and day-of-week must be ?");
    }

    @Test
    void readsEveryScheduleOfTheTemplate() {
        Schedules schedules = Schedules.fromTemplate(TEMPLATE, (id, event) -> null);
        assertThat(schedules.schedules()).extracting(s -> s.functionLogicalId() + "." + s.eventName() + " " + s.type()
                        + " " + s.expression() + " " + s.enabled())
                .containsExactly(
                        "MonthlyResetFunction.Monthly Schedule cron(0 0 1 * ? *) true",
                        "DigestFunction.Weekdays ScheduleV2 cron(30 8 ? * MON-FRI *) true",
                        "DigestFunction.Hourly Schedule rate(1 hour) false",
                        "CleanupFunction.Often ScheduleV2 rate(5 minutes) true");
    }

    @Test
    void nextFireTimeIsPerFunctionInItsTimeZoneAndSkipsDisabledSchedules() {
        Schedules schedules = Schedules.fromTemplate(TEMPLATE, (id, event) -> null);
        assertThat(schedules.nextFireTime("MonthlyResetFunction", Instant.parse("2026-11-25T10:00:00Z")))
                .isEqualTo("2026-12-01T00:00:00Z");
        // 08:30 in Berlin is 07:30 UTC in winter; the disabled hourly rate does not count.
        assertThat(schedules.nextFireTime("DigestFunction", Instant.parse("2026-11-27T08:00:00Z")))
                .isEqualTo("2026-11-30T07:30:00Z");
        assertThat(schedules.nextFireTime("DigestFunction", Instant.parse("2026-07-01T00:00:00Z")))
                .isEqualTo("2026-07-01T06:30:00Z");
        assertThatThrownBy(() -> schedules.nextFireTime("RecordExecutionFunction", Instant.now()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no function RecordExecutionFunction with a Schedule or ScheduleV2 event")
                .hasMessageContaining("MonthlyResetFunction");
    }

    @Test
    void fireDeliversAGenuineScheduledEventAsIfAtTheGivenTime() {
        List<Object[]> calls = new ArrayList<>();
        Schedules schedules = Schedules.fromTemplate(TEMPLATE, (id, event) -> {
            calls.add(new Object[] {id, event});
            return Map.of("opened", 3);
        });
        Object result = schedules.fire("MonthlyResetFunction", Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(result).isEqualTo(Map.of("opened", 3));
        assertThat(calls).hasSize(1);
        assertThat(calls.getFirst()[0]).isEqualTo("MonthlyResetFunction");
        ScheduledEvent event = (ScheduledEvent) calls.getFirst()[1];
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(event.getSource()).isEqualTo("aws.events");
        assertThat(event.getAccount()).isEqualTo("000000000000");
        assertThat(event.getRegion()).isEqualTo("us-east-1");
        assertThat(event.getTime().toDate().toInstant()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(event.getResources()).containsExactly("arn:aws:events:us-east-1:000000000000:rule/MonthlyResetFunctionMonthly");
        assertThat(event.getDetail()).isEmpty();
        assertThat(event.getId()).isNotBlank();
        assertThat(event.getVersion()).isEqualTo("0");
    }

    @Test
    void aScheduleV2DeliversOnlyItsInput() {
        List<Object> events = new ArrayList<>();
        Schedules schedules = Schedules.fromTemplate(TEMPLATE, (id, event) -> events.add(event));
        schedules.fire("CleanupFunction", Instant.parse("2026-12-01T00:00:00Z"));
        // A function with several schedules gets each of them (the disabled one too: firing by hand is explicit).
        Object results = schedules.fire("DigestFunction", Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(results).isEqualTo(List.of(true, true));
        assertThat(events.get(0)).isEqualTo(Map.of());
        assertThat(events.get(1)).isEqualTo(Map.of("kind", "digest"));
        assertThat(((ScheduledEvent) events.get(2)).getResources()).containsExactly(
                "arn:aws:events:us-east-1:000000000000:rule/digest-hourly");
    }

    @Test
    void fireRefusesAnUnknownFunctionAndWrapsAFunctionsFailure() {
        Schedules schedules = Schedules.fromTemplate(TEMPLATE, (id, event) -> {
            throw new IllegalArgumentException("bad period");
        });
        assertThatThrownBy(() -> schedules.fire("NoSuchFunction", Instant.now()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no function NoSuchFunction");
        assertThatThrownBy(() -> schedules.fire("MonthlyResetFunction", Instant.parse("2026-12-01T00:00:00Z")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MonthlyResetFunction failed on its Monthly event at 2026-12-01T00:00:00Z: bad period")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSchedulerFiresEachScheduleWhenDueAndStopsOnClose() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-30T23:59:30Z"));
        List<String> fired = new ArrayList<>();
        BiFunction<String, Object, Object> invoker = (id, event) -> {
            synchronized (fired) {
                fired.add(id + "@" + (event instanceof ScheduledEvent e ? e.getTime().toDate().toInstant() : event));
                fired.notifyAll();
            }
            return null;
        };
        try (Schedules schedules = Schedules.fromTemplate(TEMPLATE, invoker, clock)) {
            schedules.start();
            Thread.sleep(300);
            assertThat(fired).isEmpty();

            clock.set(Instant.parse("2026-12-01T00:00:01Z"));
            waitFor(fired, 2);
            assertThat(fired).containsExactlyInAnyOrder(
                    "MonthlyResetFunction@2026-12-01T00:00:00Z", "CleanupFunction@{}");
            // Let the scheduler read the clock for its next times before the clock jumps (on a loaded machine the jump
            // could come first, and the rate schedule's next time would then lie after the jump).
            Thread.sleep(300);

            // A month asleep: one catch-up fire each, not one per missed time.
            clock.set(Instant.parse("2027-01-01T00:07:00Z"));
            waitFor(fired, 5);
            Thread.sleep(300);
            assertThat(fired.subList(2, fired.size())).containsExactlyInAnyOrder(
                    "MonthlyResetFunction@2027-01-01T00:00:00Z", "DigestFunction@{kind=digest}", "CleanupFunction@{}");
        }
        Thread scheduler = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("schedules")).findFirst().orElse(null);
        assertThat(scheduler == null || !scheduler.isAlive()).isTrue();
    }

    private static void waitFor(List<String> fired, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        synchronized (fired) {
            while (fired.size() < count && System.nanoTime() < deadline) {
                fired.wait(50);
            }
        }
    }
}
