package io.remoteclip.server;

import java.io.ByteArrayOutputStream;

/** An upload's bytes as they arrive on an I/O thread, kept up to the limit and counted beyond it. */
final class Upload {
  private final long limit;
  private final ByteArrayOutputStream kept;
  private long received;

  Upload(long limit, long announced) {
    this.limit = limit;
    this.kept = new ByteArrayOutputStream((int) Math.max(32, Math.min(limit, announced)));
  }

  /**
   * How much of an oversized upload is read and dropped so that its sender gets the 413: closing with unread
   * bytes makes TCP reset the connection and lose the response in flight. Beyond it the connection is cut.
   */
  static long drainBound(long limit) {
    return Math.min(8 * limit, 256L << 20);
  }

  void add(byte[] chunk) {
    received += chunk.length;
    if (received <= limit) {
      kept.write(chunk, 0, chunk.length);
    }
  }

  long received() {
    return received;
  }

  boolean tooLarge() {
    return received > limit;
  }

  byte[] bytes() {
    return kept.toByteArray();
  }
}
