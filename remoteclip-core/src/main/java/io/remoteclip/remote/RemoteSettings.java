package io.remoteclip.remote;

import java.time.Duration;

/**
 * How remote reads behave: the time allowed to connect and to receive one range, how many times a failed
 * range request is retried (5xx, 429, dropped or reset connections, a body cut short) and the first back-off,
 * doubled on each retry. Read from system properties, else environment variables, else the defaults:
 * {@code remoteclip.http.timeout} / {@code REMOTECLIP_HTTP_TIMEOUT} (seconds, default 30) and
 * {@code remoteclip.http.retries} / {@code REMOTECLIP_HTTP_RETRIES} (default 4).
 */
public record RemoteSettings(Duration timeout, int retries, Duration backoff) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_RETRIES = 4;
  public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);

  public RemoteSettings {
    if (timeout.isNegative() || timeout.isZero() || retries < 0 || backoff.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive and retries, back-off not negative: " + timeout
          + ", " + retries + ", " + backoff);
    }
  }

  /** The settings from the system properties and environment (see the class comment). */
  public static RemoteSettings current() {
    long seconds = number("remoteclip.http.timeout", "REMOTECLIP_HTTP_TIMEOUT", DEFAULT_TIMEOUT.toSeconds());
    long retries = number("remoteclip.http.retries", "REMOTECLIP_HTTP_RETRIES", DEFAULT_RETRIES);
    return new RemoteSettings(Duration.ofSeconds(Math.max(1, seconds)), (int) Math.min(Math.max(0, retries), 20),
        DEFAULT_BACKOFF);
  }

  private static long number(String property, String env, long fallback) {
    String v = System.getProperty(property);
    String from = property;
    if (v == null) {
      v = System.getenv(env);
      from = env;
    }
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(from + "=" + v + ": not a whole number");
    }
  }

  /** The pause before retry {@code attempt} (1-based): the back-off doubled each time, at most 8 s. */
  Duration pause(int attempt) {
    long ms = backoff.toMillis() << Math.min(attempt - 1, 10);
    return Duration.ofMillis(Math.min(ms, 8_000));
  }
}
