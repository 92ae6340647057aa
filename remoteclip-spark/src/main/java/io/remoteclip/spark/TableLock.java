package io.remoteclip.spark;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * One embed run at a time per table: a lock file inside the table directory, created atomically (an exclusive
 * create on local disks, {@code create(overwrite=false)} on HDFS). Whoever holds it reads what the table has,
 * encodes the rest and commits; a second run waits, then skips what the first added, so concurrent appends
 * never duplicate rows. The holder touches the file every {@link #HEARTBEAT}; a lock whose owner is a dead
 * process of this host, or whose heartbeat stopped for {@link #STALE}, is taken over (a SIGKILLed run).
 * Object stores without an atomic create (s3a) give no such guarantee.
 */
final class TableLock implements AutoCloseable {
  static final String NAME = "_remoteclip_embed.lock";
  static final Duration HEARTBEAT = Duration.ofSeconds(20);
  static final Duration STALE = Duration.ofMinutes(2);
  private static final long POLL_MS = 500;

  private final FileSystem fs;
  private final Path file;
  private final String owner;
  private final ScheduledExecutorService heartbeat;

  private TableLock(FileSystem fs, Path file, String owner) {
    this.fs = fs;
    this.file = file;
    this.owner = owner;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "remoteclip-table-lock");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleAtFixedRate(this::touch, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Thrown when another live run held the lock for longer than the caller would wait. */
  static final class LockedException extends IOException {
    LockedException(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock of {@code table} (creating the directory if needed), waiting up to {@code wait} for a live
   * holder; {@code waiting} hears once, in one line, whom it waits for.
   */
  static TableLock acquire(FileSystem fs, Path table, Duration wait, Consumer<String> waiting) throws IOException {
    Path file = new Path(table, NAME);
    String owner = UUID.randomUUID() + " pid " + ProcessHandle.current().pid() + " on " + hostName() + " since " + Instant.now();
    long deadline = System.nanoTime() + wait.toNanos();
    boolean told = false;
    while (true) {
      if (tryCreate(fs, file, owner)) {
        return new TableLock(fs, file, owner);
      }
      String holder = read(fs, file);
      if (holder != null && isStale(fs, file, holder)) {
        breakStale(fs, file, holder);
        continue;
      }
      String who = holder == null ? "another run" : "another remoteclip-spark embed (" + holder.substring(holder.indexOf(' ') + 1) + ")";
      if (System.nanoTime() >= deadline) {
        throw new LockedException(table + ": " + who + " is writing to this table; waited " + wait.toSeconds()
            + " s (--lock-wait); rerun when it is done, or remove " + file + " if that run is dead");
      }
      if (!told) {
        waiting.accept(table + ": " + who + " is writing to this table; waiting up to " + wait.toSeconds() + " s");
        told = true;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + file);
      }
    }
  }

  /** Atomic create-if-absent; false when the file exists. Hadoop's local create checks, then opens: not atomic. */
  private static boolean tryCreate(FileSystem fs, Path file, String owner) throws IOException {
    byte[] content = (owner + "\n").getBytes(StandardCharsets.UTF_8);
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(file).toUri());
      java.nio.file.Files.createDirectories(local.getParent());
      try {
        java.nio.file.Files.write(local, content, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (FSDataOutputStream out = fs.create(file, false)) {
      out.write(content);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private static String read(FileSystem fs, Path file) throws IOException {
    try (var in = fs.open(file)) {
      String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? null : s;
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /** Its owner is a process of this host that has exited, or its heartbeat stopped. */
  private static boolean isStale(FileSystem fs, Path file, String holder) throws IOException {
    String[] w = holder.split(" ");
    if (w.length >= 5 && w[1].equals("pid") && w[3].equals("on") && w[4].equals(hostName())) {
      try {
        if (!ProcessHandle.of(Long.parseLong(w[2])).map(ProcessHandle::isAlive).orElse(false)) {
          return true;
        }
      } catch (NumberFormatException e) {
        // not a lock this class wrote: judge it by age
      }
    }
    try {
      return System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime() > STALE.toMillis();
    } catch (java.io.FileNotFoundException e) {
      return false;
    }
  }

  /**
   * Moves the stale lock aside (a rename: only one of several runs breaking it at once succeeds) and deletes
   * it, unless what was moved is no longer the stale lock (another run took over meanwhile): then it goes back.
   */
  private static void breakStale(FileSystem fs, Path file, String holder) throws IOException {
    Path aside = new Path(file.getParent(), NAME + "." + UUID.randomUUID() + ".stale");
    if (!fs.rename(file, aside)) {
      return;
    }
    if (holder.equals(read(fs, aside)) || !fs.rename(aside, file)) {
      fs.delete(aside, false);
    }
  }

  private void touch() {
    try {
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      // a missed heartbeat only brings the takeover closer
    }
  }

  /** Stops the heartbeat and removes the lock file if it is still this run's. */
  @Override
  public void close() throws IOException {
    heartbeat.shutdownNow();
    if (owner.equals(read(fs, file))) {
      fs.delete(file, false);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().replace(' ', '_');
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
