package io.remoteclip.cli.common;

import io.remoteclip.ProgressListener;
import java.io.PrintStream;

/**
 * Progress line on stderr: count, rate and ETA, redrawn at most every 200 ms with '\r' on a terminal and
 * as plain lines every 5 s otherwise (logs stay readable).
 */
public final class ConsoleProgress implements ProgressListener {
  private final PrintStream err;
  private final boolean terminal;
  private String task = "";
  private long total = -1;
  private long startNanos;
  private long lastDraw;
  private long done;

  public ConsoleProgress(PrintStream err) {
    this.err = err;
    this.terminal = System.console() != null;
  }

  public static ConsoleProgress stderr() {
    return new ConsoleProgress(System.err);
  }

  @Override
  public synchronized void start(String task, long total) {
    this.task = task;
    this.total = total;
    this.done = 0;
    this.startNanos = System.nanoTime();
    this.lastDraw = 0;
  }

  @Override
  public synchronized void update(long done) {
    this.done = done;
    long now = System.nanoTime();
    long interval = terminal ? 200_000_000L : 5_000_000_000L;
    if (now - lastDraw >= interval) {
      lastDraw = now;
      draw(false);
    }
  }

  @Override
  public synchronized void finish() {
    draw(true);
  }

  private void draw(boolean last) {
    double secs = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9);
    double rate = done / secs;
    StringBuilder sb = new StringBuilder();
    sb.append(task).append(": ").append(done);
    if (total >= 0) {
      sb.append('/').append(total);
      sb.append(String.format(" (%3.0f%%)", total == 0 ? 100.0 : 100.0 * done / total));
    }
    sb.append(String.format(" %.1f/s", rate));
    if (last) {
      sb.append(String.format(" in %s", formatDuration(secs)));
    } else if (total > 0 && rate > 0) {
      sb.append(" ETA ").append(formatDuration((total - done) / rate));
    }
    if (terminal) {
      err.print("\r" + sb + "\u001b[K" + (last ? "\n" : ""));
    } else {
      err.println(sb);
    }
    err.flush();
  }

  static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
