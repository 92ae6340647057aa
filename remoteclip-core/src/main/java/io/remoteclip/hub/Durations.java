package io.remoteclip.hub;

import java.time.Duration;

/** Human-readable durations and byte counts for messages. */
final class Durations {
  private Durations() {}

  /** {@code 300 ms}, {@code 5 s}, {@code 2.5 s}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** {@code 605,208,421 bytes (605.2 MB)}. */
  static String bytes(long n) {
    if (n < 1_000_000) {
      return String.format(java.util.Locale.ROOT, "%,d bytes", n);
    }
    String unit = n < 1_000_000_000L ? String.format(java.util.Locale.ROOT, "%.1f MB", n / 1e6)
        : String.format(java.util.Locale.ROOT, "%.2f GB", n / 1e9);
    return String.format(java.util.Locale.ROOT, "%,d bytes (%s)", n, unit);
  }
}
