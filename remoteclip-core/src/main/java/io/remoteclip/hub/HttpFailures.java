package io.remoteclip.hub;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * HTTP failures in words, and the pause between tries: shared by the model downloader and the STAC client, so
 * that both name a status and an unreachable host alike.
 */
public final class HttpFailures {
  private HttpFailures() {}

  /** The reason phrase after a status code ({@code " Not Found"}), or {@code ""} for an uncommon one. */
  public static String reason(int status) {
    return switch (status) {
      case 400 -> " Bad Request";
      case 401 -> " Unauthorized";
      case 403 -> " Forbidden";
      case 404 -> " Not Found";
      case 405 -> " Method Not Allowed";
      case 410 -> " Gone";
      case 429 -> " Too Many Requests";
      case 500 -> " Internal Server Error";
      case 502 -> " Bad Gateway";
      case 503 -> " Service Unavailable";
      case 504 -> " Gateway Timeout";
      default -> "";
    };
  }

  /** Whether an answer with this status is worth another try: a server error, 429 or 408. */
  public static boolean retryable(int status) {
    return status >= 500 || status == 429 || status == 408;
  }

  /** Why the host cannot be reached at all, or {@code null} when the failure is of another kind. */
  public static String unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unknown host";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof ConnectException) {
        return t.getMessage() == null || t.getMessage().isBlank() ? "connection refused" : t.getMessage();
      }
    }
    return null;
  }

  /** Waits {@code d} before another try; an interrupt ends the wait as an {@link InterruptedIOException}. */
  public static void pause(Duration d, String what) throws InterruptedIOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + " interrupted");
    }
  }
}
