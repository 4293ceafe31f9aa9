/**
 * Snapshot schedules: take a snapshot of each volume of a set, wait until it is available, prune
 * with a retention policy, and know when backups stop.
 *
 * <p>{@link io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedule} names the volumes, the
 * cron, the names and the policy; {@link io.github.reactivekoyeb.snapshots.schedule.SnapshotSchedules}
 * runs one ({@link io.github.reactivekoyeb.snapshots.schedule.ScheduleRun}) or reads how current its
 * backups are ({@link io.github.reactivekoyeb.snapshots.schedule.ScheduleStatus}). In Spring Boot,
 * {@code koyeb.snapshots.schedules.<name>.*} runs schedules on their crons, with gauges and a
 * health report.
 */
@NullMarked
package io.github.reactivekoyeb.snapshots.schedule;

import org.jspecify.annotations.NullMarked;
