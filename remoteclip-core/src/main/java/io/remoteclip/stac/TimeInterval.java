package io.remoteclip.stac;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A STAC datetime filter: one instant, or {@code start/end} with either end open ({@code ..} or empty).
 * Values are RFC 3339 date-times; a bare date {@code YYYY-MM-DD} stands for the whole UTC day (its first
 * second as a start, its last as an end).
 *
 * @param start inclusive, {@code null} when open
 * @param end inclusive, {@code null} when open
 */
public record TimeInterval(Instant start, Instant end) {
  public TimeInterval {
    if (start == null && end == null) {
      throw new IllegalArgumentException("datetime: both ends open (\"../..\") selects nothing");
    }
    if (start != null && end != null && start.isAfter(end)) {
      throw new IllegalArgumentException("datetime: " + start + " is after " + end);
    }
  }

  /** {@code 2024-06-01T00:00:00Z/2024-06-30T23:59:59Z}, {@code 2024-06-01/..}, {@code 2024-06-15}, … */
  public static TimeInterval parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    if (slash < 0) {
      if (isDate(t)) {
        return new TimeInterval(instant(t, false), instant(t, true));
      }
      Instant at = instant(t, false);
      return new TimeInterval(at, at);
    }
    if (t.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("datetime \"" + text + "\": expected START/END");
    }
    String a = t.substring(0, slash).strip();
    String b = t.substring(slash + 1).strip();
    return new TimeInterval(open(a) ? null : instant(a, false), open(b) ? null : instant(b, true));
  }

  /** As a STAC API {@code datetime} parameter: RFC 3339 instants in UTC, {@code ..} for an open end. */
  public String toParameter() {
    if (start != null && start.equals(end)) {
      return start.toString();
    }
    return (start == null ? ".." : start.toString()) + "/" + (end == null ? ".." : end.toString());
  }

  /** Whether {@code [from, to]} (inclusive; one instant when equal) overlaps this interval. */
  public boolean overlaps(Instant from, Instant to) {
    return (end == null || !from.isAfter(end)) && (start == null || !to.isBefore(start));
  }

  private static boolean open(String s) {
    return s.isEmpty() || s.equals("..");
  }

  private static boolean isDate(String s) {
    return s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-';
  }

  /** An RFC 3339 date-time (or a date: its first or last second in UTC). */
  static Instant instant(String s, boolean endOfDay) {
    try {
      if (isDate(s)) {
        LocalDate d = LocalDate.parse(s);
        return endOfDay ? d.atTime(23, 59, 59).toInstant(ZoneOffset.UTC) : d.atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(s.toUpperCase(Locale.ROOT)).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("datetime \"" + s
          + "\" is not an RFC 3339 date-time such as 2024-06-01T00:00:00Z (or a date 2024-06-01)");
    }
  }
}
