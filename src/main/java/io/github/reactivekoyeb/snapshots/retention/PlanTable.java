package io.github.reactivekoyeb.snapshots.retention;

import io.github.reactivekoyeb.snapshots.retention.RetentionDecision.Action;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link RetentionPlan} as a table, like restic's {@code forget --dry-run}: a summary, then for
 * each group a header and one row per snapshot, newest first, columns as wide as their widest cell.
 */
final class PlanTable {

    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final String[] HEADER = {"ID", "NAME", "CREATED", "ACTION", "REASONS"};

    private PlanTable() {
    }

    static String render(RetentionPlan plan) {
        RetentionPolicy policy = plan.policy();
        StringBuilder out = new StringBuilder(128 + plan.decisions().size() * 96);
        out.append(String.format(Locale.ROOT, "Retention plan %s: %s%n%d snapshot(s) in %d group(s): keep %d, delete %d,"
                        + " ignore %d%n", plan.fingerprint().substring(0, 12), policy, plan.decisions().size(),
                plan.groups().size(), plan.count(Action.KEEP), plan.count(Action.DELETE), plan.count(Action.IGNORE)));
        String group = "";
        List<String[]> rows = new ArrayList<>();
        for (RetentionDecision d : plan.decisions()) {
            if (!d.group().equals(group)) {
                flush(out, group, rows);
                group = d.group();
            }
            Instant created = d.snapshot().createdAt();
            rows.add(new String[] {printable(String.valueOf(d.snapshot().id())), printable(String.valueOf(d.snapshot().name())),
                    created == null ? "-" : CREATED.format(ZonedDateTime.ofInstant(created, policy.zone())),
                    d.action().name().toLowerCase(Locale.ROOT), String.join(", ", d.reasons())});
        }
        flush(out, group, rows);
        return out.toString();
    }

    private static void flush(StringBuilder out, String group, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        out.append(String.format(Locale.ROOT, "%ngroup %s: %d snapshot(s)%n", group, rows.size()));
        int[] widths = new int[HEADER.length];
        for (int c = 0; c < HEADER.length; c++) {
            widths[c] = HEADER[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        line(out, HEADER, widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        rows.clear();
    }

    /** A cell without the control characters that would break the table's lines. */
    private static String printable(String text) {
        StringBuilder s = new StringBuilder(text.length());
        text.codePoints().forEach(c -> s.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return s.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int c = 0; c < cells.length; c++) {
            out.append(cells[c]);
            if (c < cells.length - 1) {
                out.append(" ".repeat(widths[c] - cells[c].length() + 2));
            }
        }
        out.append(System.lineSeparator());
    }
}
