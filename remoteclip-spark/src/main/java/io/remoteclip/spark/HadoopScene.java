package io.remoteclip.spark;

import io.remoteclip.remote.RasterLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A scene on any Hadoop file system (file:, hdfs:, s3a:, whatever the class path brings), read with the
 * stream's positional reads: a window costs the reads of the tiles it touches (ranged GETs on s3a), never the
 * whole file.
 *
 * @param length the file's size as listed (a positional read past it is the end of the data)
 */
record HadoopScene(String location, long length, Configuration conf) implements RasterLocation.Stored {
  @Override
  public String name() {
    return location;
  }

  /** The listed length; the time is the listing's business (WindowPlan keeps it), not this location's. */
  @Override
  public Stat stat() {
    return new Stat(length, 0);
  }

  @Override
  public SeekableByteChannel open() throws IOException {
    Path p = new Path(location);
    FileSystem fs = p.getFileSystem(conf);
    return new PositionalChannel(fs.open(p), length);
  }

  /** Read-only channel over {@link FSDataInputStream#read(long, byte[], int, int)}. */
  private static final class PositionalChannel implements SeekableByteChannel {
    private final FSDataInputStream in;
    private final long size;
    private long position;
    private boolean open = true;

    PositionalChannel(FSDataInputStream in, long size) {
      this.in = in;
      this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      ensureOpen();
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), size - position);
      if (n == 0) {
        return 0;
      }
      int got;
      if (dst.hasArray()) {
        got = in.read(position, dst.array(), dst.arrayOffset() + dst.position(), n);
        if (got > 0) {
          dst.position(dst.position() + got);
        }
      } else {
        byte[] b = new byte[n];
        got = in.read(position, b, 0, n);
        if (got > 0) {
          dst.put(b, 0, got);
        }
      }
      if (got < 0) {
        return -1;
      }
      position += got;
      return got;
    }

    @Override
    public long position() throws IOException {
      ensureOpen();
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      ensureOpen();
      if (newPosition < 0) {
        throw new IllegalArgumentException("negative position " + newPosition);
      }
      position = newPosition;
      return this;
    }

    @Override
    public long size() throws IOException {
      ensureOpen();
      return size;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() throws IOException {
      if (open) {
        open = false;
        in.close();
      }
    }

    private void ensureOpen() throws ClosedChannelException {
      if (!open) {
        throw new ClosedChannelException();
      }
    }
  }
}
