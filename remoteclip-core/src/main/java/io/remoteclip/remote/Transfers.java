package io.remoteclip.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What remote reads cost, per URI (requests sent, body bytes received, retries), for {@code -v} reports and
 * tests; and the one-time warnings about remote inputs (a TIFF that is not cloud-optimised). Process-wide:
 * a command {@link #reset() resets} it when it starts.
 */
public final class Transfers {
  private static final Map<String, Counter> COUNTERS = new LinkedHashMap<>();
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  private static volatile Consumer<String> warnings = w -> System.err.println("remoteclip: warning: " + w);

  private Transfers() {}

  /** The running counts of one object. */
  public static final class Counter {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    volatile long size = -1;

    void request() {
      requests.incrementAndGet();
    }

    void received(long n) {
      bytes.addAndGet(n);
    }

    void retried() {
      retries.incrementAndGet();
    }

    void size(long s) {
      size = s;
    }
  }

  /** One object's totals; {@code size} is -1 when it was never learnt. */
  public record Summary(String uri, long requests, long bytes, long retries, long size) {
    /** "URI: 12 requests, 1.4 MiB of 48.0 MiB (2.9%), 1 retry". */
    public String line() {
      String of = size > 0 ? String.format(Locale.ROOT, " of %s (%.1f%%)", human(size), 100.0 * bytes / size) : "";
      return uri + ": " + requests + (requests == 1 ? " request, " : " requests, ") + human(bytes) + " fetched" + of
          + (retries > 0 ? ", " + retries + (retries == 1 ? " retry" : " retries") : "");
    }
  }

  static Counter counter(String uri) {
    synchronized (COUNTERS) {
      return COUNTERS.computeIfAbsent(uri, u -> new Counter());
    }
  }

  /** The totals of every object read since the last reset, in order of first read. */
  public static List<Summary> snapshot() {
    List<Summary> out = new ArrayList<>();
    synchronized (COUNTERS) {
      COUNTERS.forEach((uri, c) -> out.add(new Summary(uri, c.requests.get(), c.bytes.get(), c.retries.get(), c.size)));
    }
    return out;
  }

  /** The totals of one object (zeros when it was not read). */
  public static Summary of(String uri) {
    synchronized (COUNTERS) {
      Counter c = COUNTERS.get(uri);
      return c == null ? new Summary(uri, 0, 0, 0, -1)
          : new Summary(uri, c.requests.get(), c.bytes.get(), c.retries.get(), c.size);
    }
  }

  /** Forgets the counts and the warnings given (a new command starts). */
  public static void reset() {
    synchronized (COUNTERS) {
      COUNTERS.clear();
    }
    WARNED.clear();
  }

  /** Where {@link #warnOnce} warnings go (default: standard error, prefixed "remoteclip: warning: "). */
  public static void warnTo(Consumer<String> sink) {
    warnings = sink;
  }

  /** Gives {@code message} about {@code location} once per reset, however often it is opened. */
  public static void warnOnce(RasterLocation location, String message) {
    if (WARNED.add(location.name() + "\n" + message)) {
      warnings.accept(location.name() + ": " + message);
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
