package io.github.reactivekoyeb.snapshots.retention;

import static io.github.reactivekoyeb.snapshots.retention.Snapshots.ids;
import static io.github.reactivekoyeb.snapshots.retention.Snapshots.reasons;
import static io.github.reactivekoyeb.snapshots.retention.Snapshots.snap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivekoyeb.snapshots.ListSnapshotsRequest;
import io.github.reactivekoyeb.snapshots.Snapshot;
import io.github.reactivekoyeb.snapshots.SnapshotStatus;
import io.github.reactivekoyeb.snapshots.retention.RetentionDecision.Action;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * The rules, exactly restic's {@code forget} (current release), on plans made from snapshots at hand:
 * each bucket at its boundaries, in UTC and across changes of the clocks, ISO week 53, the oldest
 * snapshot, ties, ignored snapshots, groups, {@code keepWithin}, and restic's own worked examples.
 */
class RetentionRulesTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static RetentionPlan plan(RetentionPolicy.Builder policy, Snapshot... snapshots) {
        return RetentionPlan.of(policy.build(), List.of(snapshots));
    }

    @Test
    void resticsDocumentedExampleKeepDailyFourOfTwelveSundays() {
        // doc/060_forget.rst: one backup every Sunday for 12 weeks, forget --keep-daily 4
        List<Snapshot> sundays = new ArrayList<>();
        for (int week = 0; week < 12; week++) {
            LocalDate day = LocalDate.of(2019, 9, 1).plusWeeks(week);
            sundays.add(snap("s" + day, day + "T11:00:00Z"));
        }
        RetentionPlan plan = RetentionPlan.of(RetentionPolicy.builder().keepDaily(4).build(), sundays);
        assertThat(ids(plan, Action.KEEP)).containsExactly("s2019-11-17", "s2019-11-10", "s2019-11-03", "s2019-10-27");
        assertThat(ids(plan, Action.DELETE)).hasSize(8).startsWith("s2019-10-20").endsWith("s2019-09-01");
        assertThat(reasons(plan).get("s2019-10-27")).containsExactly("daily #4");
        assertThat(reasons(plan).get("s2019-10-20")).containsExactly("daily: all 4 used");
    }

    @Test
    void resticsDocumentedExampleOfAHundredYearsOfDailies() {
        // "keep-daily 7 keep-weekly 5 keep-monthly 12 keep-yearly 75 would keep the most recent 7 daily
        // snapshots and 4 last-day-of-the-week ones (since the 7 dailies already include 1 weekly).
        // Additionally, 12 or 11 last-day-of-the-month snapshots [...] And finally 75 or 74
        // last-day-of-the-year snapshots". Counted by hand for noon every day from 1926-01-01 to
        // 2025-12-31 (a Wednesday, in ISO week 2026-W01): daily 12-25..12-31; weekly 12-31 and 12-28
        // (dailies), 12-21, 12-14, 12-07; monthly the last day of each month of 2025 (12-31 a daily);
        // yearly 12-31 of 1951..2025 (2025's a daily): 7 + 3 + 11 + 74 = 95.
        List<Snapshot> days = new ArrayList<>();
        for (LocalDate day = LocalDate.of(1926, 1, 1); !day.isAfter(LocalDate.of(2025, 12, 31)); day = day.plusDays(1)) {
            days.add(snap("d" + day, day + "T12:00:00Z"));
        }
        RetentionPlan plan = RetentionPlan.of(RetentionPolicy.builder().keepDaily(7).keepWeekly(5).keepMonthly(12)
                .keepYearly(75).build(), days);
        assertThat(ids(plan, Action.KEEP)).hasSize(95)
                .contains("d2025-12-25", "d2025-12-21", "d2025-12-07", "d2025-01-31", "d1951-12-31")
                .contains("d2025-11-30").doesNotContain("d1950-12-31", "d2025-12-24", "d2025-11-29");
        assertThat(reasons(plan).get("d2025-12-31")).containsExactly("daily #1", "weekly #1", "monthly #1", "yearly #1");
        assertThat(reasons(plan).get("d2025-12-28")).containsExactly("daily #4", "weekly #2");
        assertThat(reasons(plan).get("d2025-12-07")).containsExactly("weekly #5");
        assertThat(reasons(plan).get("d1951-12-31")).containsExactly("yearly #75");
    }

    @Test
    void keepLastKeepsTheNNewest() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(2), snap("a", "2026-01-01T00:00:00Z"),
                snap("b", "2026-01-02T00:00:00Z"), snap("c", "2026-01-03T00:00:00Z"));
        assertThat(ids(plan, Action.KEEP)).containsExactly("c", "b");
        assertThat(reasons(plan).get("c")).containsExactly("last #1");
        assertThat(reasons(plan).get("a")).containsExactly("last: all 2 used");
    }

    @Test
    void hourlyBucketsChangeAtTheHour() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepHourly(3), snap("h0930", "2026-05-01T09:30:00Z"),
                snap("h1000", "2026-05-01T10:00:00Z"), snap("h1059", "2026-05-01T10:59:59.999Z"),
                snap("h1100", "2026-05-01T11:00:00Z"), snap("h0800", "2026-05-01T08:00:00Z"));
        assertThat(ids(plan, Action.KEEP)).containsExactly("h1100", "h1059", "h0930");
        assertThat(reasons(plan).get("h1000")).containsExactly("hourly: hour 2026-05-01 10:00 kept as h1059");
        assertThat(reasons(plan).get("h0800")).containsExactly("hourly: all 3 used");
    }

    @Test
    void dailyBucketsChangeAtMidnight() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepDaily(2), snap("late", "2026-05-01T23:59:59Z"),
                snap("midnight", "2026-05-02T00:00:00Z"), snap("early", "2026-05-01T00:00:00Z"),
                snap("before", "2026-04-30T12:00:00Z"));
        assertThat(ids(plan, Action.KEEP)).containsExactly("midnight", "late");
        assertThat(reasons(plan).get("early")).containsExactly("daily: day 2026-05-01 kept as late");
    }

    @Test
    void weeklyBucketsAreIsoWeeksWithWeek53() {
        // 2026-12-31 (Thursday) and 2027-01-03 (Sunday) are both in ISO week 2026-W53;
        // 2027-01-04 (Monday) starts 2027-W01, and 2026-12-27 (Sunday) ends 2026-W52
        RetentionPlan plan = plan(RetentionPolicy.builder().keepWeekly(3), snap("w53thu", "2026-12-31T12:00:00Z"),
                snap("w53sun", "2027-01-03T23:59:59Z"), snap("w01mon", "2027-01-04T00:00:00Z"),
                snap("w52sun", "2026-12-27T23:00:00Z"), snap("w52mon", "2026-12-21T00:00:00Z"),
                snap("w51mon", "2026-12-14T00:00:00Z"));
        assertThat(ids(plan, Action.KEEP)).containsExactly("w01mon", "w53sun", "w52sun");
        assertThat(reasons(plan).get("w53thu")).containsExactly("weekly: week 2026-W53 kept as w53sun");
        assertThat(reasons(plan).get("w52mon")).containsExactly("weekly: week 2026-W52 kept as w52sun");
        assertThat(reasons(plan).get("w51mon")).containsExactly("weekly: all 3 used");
    }

    @Test
    void monthlyAndYearlyBucketsChangeAtTheirFirstInstant() {
        RetentionPlan monthly = plan(RetentionPolicy.builder().keepMonthly(2), snap("jan31", "2026-01-31T23:59:59Z"),
                snap("feb1", "2026-02-01T00:00:00Z"), snap("jan1", "2026-01-01T00:00:00Z"),
                snap("dec", "2025-12-15T00:00:00Z"));
        assertThat(ids(monthly, Action.KEEP)).containsExactly("feb1", "jan31");
        RetentionPlan yearly = plan(RetentionPolicy.builder().keepYearly(2), snap("dec31", "2025-12-31T23:59:59.999Z"),
                snap("jan1", "2026-01-01T00:00:00Z"), snap("jun", "2025-06-01T00:00:00Z"),
                snap("old", "2024-06-01T00:00:00Z"));
        assertThat(ids(yearly, Action.KEEP)).containsExactly("jan1", "dec31");
        assertThat(reasons(yearly).get("jun")).containsExactly("yearly: year 2025 kept as dec31");
    }

    @Test
    void daysAreCalendarDaysOfThePolicysZoneAcrossTheChangesOfTheClocks() {
        // Paris, 2026-10-25 has 25 hours: 00:30 CEST is 22:30Z the day before, 23:30 CET is 22:30Z
        Snapshot before = snap("oct24-2330", "2026-10-24T21:30:00Z");
        Snapshot startOfLongDay = snap("oct25-0030", "2026-10-24T22:30:00Z");
        Snapshot endOfLongDay = snap("oct25-2330", "2026-10-25T22:30:00Z");
        RetentionPlan paris = plan(RetentionPolicy.builder().keepDaily(2).zone(PARIS), before, startOfLongDay,
                endOfLongDay);
        assertThat(ids(paris, Action.KEEP)).containsExactly("oct25-2330", "oct24-2330");
        assertThat(reasons(paris).get("oct25-0030")).containsExactly("daily: day 2026-10-25 kept as oct25-2330");
        RetentionPlan utc = plan(RetentionPolicy.builder().keepDaily(2), before, startOfLongDay, endOfLongDay);
        assertThat(ids(utc, Action.KEEP)).containsExactly("oct25-2330", "oct25-0030");

        // 2026-03-29 has 23 hours: 00:30 CET is 23:30Z the day before, 23:30 CEST is 21:30Z
        RetentionPlan shortDay = plan(RetentionPolicy.builder().keepDaily(2).zone(PARIS),
                snap("mar29-0030", "2026-03-28T23:30:00Z"), snap("mar29-2330", "2026-03-29T21:30:00Z"),
                snap("mar28-1200", "2026-03-28T11:00:00Z"));
        assertThat(ids(shortDay, Action.KEEP)).containsExactly("mar29-2330", "mar28-1200");
    }

    @Test
    void theHourTheClocksRepeatIsOneHourlyBucketAsInRestic() {
        // Paris, 2026-10-25: 02:30 CEST (00:30Z) and 02:30 CET (01:30Z) read the same wall-clock hour
        RetentionPlan plan = plan(RetentionPolicy.builder().keepHourly(3).zone(PARIS),
                snap("first-0230", "2026-10-25T00:30:00Z"), snap("second-0230", "2026-10-25T01:30:00Z"),
                snap("0330", "2026-10-25T02:30:00Z"), snap("0130", "2026-10-24T23:30:00Z"));
        assertThat(ids(plan, Action.KEEP)).containsExactly("0330", "second-0230", "0130");
        assertThat(reasons(plan).get("first-0230")).containsExactly("hourly: hour 2026-10-25 02:00 kept as second-0230");
    }

    @Test
    void aRuleWithCountLeftKeepsTheOldestSnapshotToo() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepDaily(7), snap("d3-pm", "2026-05-03T18:00:00Z"),
                snap("d3-am", "2026-05-03T06:00:00Z"), snap("d2-pm", "2026-05-02T18:00:00Z"),
                snap("d2-am", "2026-05-02T06:00:00Z"), snap("d1-pm", "2026-05-01T18:00:00Z"),
                snap("d1-am", "2026-05-01T06:00:00Z"));
        assertThat(ids(plan, Action.KEEP)).containsExactly("d3-pm", "d2-pm", "d1-pm", "d1-am");
        assertThat(reasons(plan).get("d1-am")).containsExactly("oldest daily");
        assertThat(reasons(plan).get("d2-am")).containsExactly("daily: day 2026-05-02 kept as d2-pm");
        // a rule whose count is used up keeps no oldest
        RetentionPlan used = plan(RetentionPolicy.builder().keepDaily(2), snap("d3", "2026-05-03T18:00:00Z"),
                snap("d2", "2026-05-02T18:00:00Z"), snap("d1", "2026-05-01T18:00:00Z"));
        assertThat(ids(used, Action.DELETE)).containsExactly("d1");
    }

    @Test
    void onATieOfCreationTimesTheGreaterIdIsNewer() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(1), snap("snap-a", "2026-05-01T00:00:00Z"),
                snap("snap-b", "2026-05-01T00:00:00Z"));
        assertThat(ids(plan, Action.KEEP)).containsExactly("snap-b");
        assertThat(plan.decisions()).extracting(d -> d.snapshot().id()).containsExactly("snap-b", "snap-a");
    }

    @Test
    void snapshotsThePolicyDoesNotManageAreIgnoredNeverCountedNeverDeleted() {
        Snapshot creating = Snapshots.withStatus(snap("creating", "2026-05-05T00:00:00Z"), SnapshotStatus.CREATING);
        Snapshot deleting = Snapshots.withStatus(snap("deleting", "2026-05-04T00:00:00Z"), SnapshotStatus.DELETING);
        Snapshot manual = Snapshots.withName(snap("manual", "2026-05-03T00:00:00Z"), "keep-forever");
        Snapshot unnamed = Snapshots.withName(snap("unnamed", "2026-05-03T12:00:00Z"), null);
        Snapshot noTime = new Snapshot("no-time", "nightly-x", null, null, null, null, null, "vol-1", null,
                SnapshotStatus.AVAILABLE, null);
        Snapshot old = snap("old", "2026-01-01T00:00:00Z");
        RetentionPlan plan = plan(RetentionPolicy.builder().keepLast(1).namePrefix("nightly-"), creating, deleting,
                manual, unnamed, noTime, snap("newest-managed", "2026-05-02T00:00:00Z"), old);
        assertThat(ids(plan, Action.KEEP)).containsExactly("newest-managed");
        assertThat(ids(plan, Action.DELETE)).containsExactly("old");
        assertThat(ids(plan, Action.IGNORE)).containsExactlyInAnyOrder("creating", "deleting", "manual", "unnamed",
                "no-time");
        assertThat(reasons(plan).get("creating")).containsExactly("status CREATING");
        assertThat(reasons(plan).get("deleting")).containsExactly("status DELETING");
        assertThat(reasons(plan).get("manual")).containsExactly("name not managed (not \"nightly-...\")");
        assertThat(reasons(plan).get("no-time")).containsExactly("no creation time");
        assertThat(plan.toDelete()).extracting(Snapshot::id).containsExactly("old");
    }

    @Test
    void eachVolumeIsPlannedAloneAndSnapshotsWithoutOneFormAGroup() {
        RetentionPlan plan = RetentionPlan.of(RetentionPolicy.builder().keepLast(1).build(), List.of(
                snap("b1", "vol-b", Instant.parse("2026-01-01T00:00:00Z")),
                snap("a2", "vol-a", Instant.parse("2026-01-02T00:00:00Z")),
                snap("none1", null, Instant.parse("2026-01-01T00:00:00Z")),
                snap("a1", "vol-a", Instant.parse("2026-01-01T00:00:00Z")),
                snap("b2", "vol-b", Instant.parse("2026-01-03T00:00:00Z")),
                snap("none2", null, Instant.parse("2026-01-05T00:00:00Z"))));
        assertThat(plan.groups()).containsExactly(RetentionDecision.NO_VOLUME, "vol-a", "vol-b");
        assertThat(plan.decisions()).extracting(d -> d.group() + ":" + d.snapshot().id() + ":" + d.action())
                .containsExactly("(no volume):none2:KEEP", "(no volume):none1:DELETE", "vol-a:a2:KEEP", "vol-a:a1:DELETE",
                        "vol-b:b2:KEEP", "vol-b:b1:DELETE");
    }

    @Test
    void keepWithinKeepsWhatWasCreatedStrictlyAfterTheNewestMinusTheDuration() {
        List<Snapshot> daily = Snapshots.every("d", "vol-1", Instant.parse("2026-05-01T12:00:00Z"), Duration.ofDays(1), 10);
        RetentionPlan plan = RetentionPlan.of(RetentionPolicy.builder().keepWithin(Duration.ofDays(3)).build(), daily);
        // the newest is d0010 (05-10); 05-07 12:00 is exactly 3 days before: not strictly after
        assertThat(ids(plan, Action.KEEP)).containsExactly("d0010", "d0009", "d0008");
        assertThat(reasons(plan).get("d0008")).containsExactly("within 3d");
        assertThat(reasons(plan).get("d0007")).containsExactly("within 3d: created 3d before the newest");
    }

    @Test
    void rulesCountIndependentlyAndEachReasonNamesItsRuleAndNumber() {
        List<Snapshot> daily = Snapshots.every("d", "vol-1", Instant.parse("2026-04-01T03:00:00Z"), Duration.ofDays(1), 40);
        RetentionPlan plan = RetentionPlan.of(RetentionPolicy.builder().keepLast(2).keepDaily(3).keepWeekly(2)
                .keepMonthly(2).build(), daily);
        // newest d0040 is 2026-05-10 (a Sunday, ISO week 19); d0033 is 05-03, the Sunday before
        assertThat(reasons(plan).get("d0040")).containsExactly("last #1", "daily #1", "weekly #1", "monthly #1");
        assertThat(reasons(plan).get("d0039")).containsExactly("last #2", "daily #2");
        assertThat(reasons(plan).get("d0038")).containsExactly("daily #3");
        assertThat(reasons(plan).get("d0033")).containsExactly("weekly #2");
        assertThat(reasons(plan).get("d0030")).containsExactly("monthly #2"); // 04-30
        assertThat(ids(plan, Action.KEEP)).containsExactly("d0040", "d0039", "d0038", "d0033", "d0030");
        assertThat(reasons(plan).get("d0037")).containsExactly("last: all 2 used", "daily: all 3 used",
                "weekly: week 2026-W19 kept as d0040", "monthly: month 2026-05 kept as d0040");
    }

    @Test
    void theNewestManagedSnapshotOfEveryGroupIsKeptWhateverThePolicy() {
        Random random = new Random(20261206);
        for (int round = 0; round < 200; round++) {
            RetentionPolicy.Builder policy = RetentionPolicy.builder();
            switch (random.nextInt(4)) {
                case 0 -> policy.keepLast(1 + random.nextInt(3));
                case 1 -> policy.keepHourly(1 + random.nextInt(3)).keepYearly(random.nextInt(2));
                case 2 -> policy.keepWeekly(1 + random.nextInt(3)).zone(ZoneId.of("Pacific/Chatham"));
                default -> policy.keepWithin(Duration.ofSeconds(1 + random.nextInt(100)));
            }
            List<Snapshot> snapshots = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                snapshots.add(snap("s" + i, "vol-" + random.nextInt(3), Instant.parse("2026-01-01T00:00:00Z")
                        .plusSeconds(random.nextInt(3_000_000))));
            }
            RetentionPlan plan = RetentionPlan.of(policy.build(), snapshots);
            for (String group : plan.groups()) {
                RetentionDecision newest = plan.decisions().stream().filter(d -> d.group().equals(group)).findFirst()
                        .orElseThrow();
                assertThat(newest.action()).as("round %d, group %s", round, group).isEqualTo(Action.KEEP);
            }
        }
    }

    @Test
    void theSameSnapshotsGiveTheSamePlanInAnyOrderAndAnyDefaultZone() {
        List<Snapshot> snapshots = new ArrayList<>(Snapshots.every("a", "vol-a", Instant.parse("2026-03-20T21:17:00Z"),
                Duration.ofHours(5), 120));
        snapshots.addAll(Snapshots.every("b", "vol-b", Instant.parse("2026-10-20T23:59:00Z"), Duration.ofHours(7), 80));
        RetentionPolicy policy = RetentionPolicy.builder().keepLast(3).keepHourly(5).keepDaily(6).keepWeekly(3)
                .keepMonthly(2).zone(PARIS).build();
        RetentionPlan reference = RetentionPlan.of(policy, snapshots);
        TimeZone defaultZone = TimeZone.getDefault();
        try {
            for (String zone : List.of("Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu", "UTC")) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                List<Snapshot> shuffled = new ArrayList<>(snapshots);
                Collections.shuffle(shuffled, new Random(zone.hashCode()));
                RetentionPlan again = RetentionPlan.of(policy, shuffled);
                assertThat(again.decisions()).as(zone).isEqualTo(reference.decisions());
                assertThat(again.fingerprint()).as(zone).isEqualTo(reference.fingerprint());
                assertThat(again.toString()).as(zone).isEqualTo(reference.toString());
            }
        } finally {
            TimeZone.setDefault(defaultZone);
        }
        assertThat(reference.fingerprint()).hasSize(64).matches("[0-9a-f]+");
        List<Snapshot> renamed = new ArrayList<>(snapshots);
        renamed.set(7, Snapshots.withName(renamed.get(7), "nightly-renamed"));
        assertThat(RetentionPlan.of(policy, renamed).fingerprint()).as("a snapshot changed").isNotEqualTo(
                reference.fingerprint());
        assertThat(RetentionPlan.of(RetentionPolicy.builder().keepLast(4).build(), snapshots).fingerprint())
                .as("another policy").isNotEqualTo(reference.fingerprint());
    }

    @Test
    void thePlanPrintsAsATableAPersonReads() {
        RetentionPlan plan = plan(RetentionPolicy.builder().keepDaily(1).zone(PARIS).namePrefix("nightly-"),
                snap("s2", "2026-05-02T10:00:00Z"), snap("s1", "2026-05-01T10:00:00Z"),
                Snapshots.withStatus(snap("s3", "2026-05-03T10:00:00Z"), SnapshotStatus.CREATING));
        String table = plan.toString();
        assertThat(table).contains("Retention plan " + plan.fingerprint().substring(0, 12))
                .contains("keep daily 1 (Europe/Paris, names \"nightly-...\")")
                .contains("3 snapshot(s) in 1 group(s): keep 1, delete 1, ignore 1")
                .contains("group vol-1: 3 snapshot(s)");
        assertThat(table.lines().filter(l -> l.startsWith("ID "))).singleElement().asString()
                .matches("ID +NAME +CREATED +ACTION +REASONS");
        assertThat(table.lines().filter(l -> l.startsWith("s2 "))).singleElement().asString()
                .matches("s2 +nightly-s2 +2026-05-02 12:00:00 +keep +daily #1");
        assertThat(table.lines().filter(l -> l.startsWith("s1 "))).singleElement().asString()
                .matches("s1 +nightly-s1 +2026-05-01 12:00:00 +delete +daily: all 1 used");
        assertThat(table.lines().filter(l -> l.startsWith("s3 "))).singleElement().asString()
                .matches("s3 +nightly-s3 +2026-05-03 12:00:00 +ignore +status CREATING");
    }

    @Test
    void aPolicyIsCheckedWhenItIsBuilt() {
        assertThatThrownBy(() -> RetentionPolicy.builder().keepDaily(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepDaily");
        for (String rule : List.of("keepLast", "keepHourly", "keepWeekly", "keepMonthly", "keepYearly")) {
            assertThatThrownBy(() -> RetentionPolicy.Builder.class.getMethod(rule, int.class)
                    .invoke(RetentionPolicy.builder(), -2)).hasCauseInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RetentionPolicy.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must keep something");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepLast(0).keepDaily(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionPolicy.builder().keepWithin(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionPolicy.builder().keepWithin(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionPolicy.builder().zone(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RetentionPolicy.builder().namePrefix(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RetentionPolicy.builder().listing(ListSnapshotsRequest.builder().startOffset(5).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 0");
        RetentionPolicy policy = RetentionPolicy.builder().keepWithin(Duration.ofHours(36)).keepLast(2).build();
        assertThat(policy.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(policy.namePrefix()).isEmpty();
        assertThat(policy.keepWithin()).contains(Duration.ofHours(36));
        assertThat(policy).hasToString("keep last 2, within 1d12h (Z, every name)")
                .isEqualTo(RetentionPolicy.builder().keepLast(2).keepWithin(Duration.ofHours(36)).build());
        assertThatThrownBy(() -> RetentionPlan.of(policy, List.of(snap("x", "2026-01-01T00:00:00Z"),
                snap("x", "2026-01-02T00:00:00Z")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listed twice");
    }
}
