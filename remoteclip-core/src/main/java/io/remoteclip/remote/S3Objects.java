package io.remoteclip.remote;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.apache.sis.cloud.aws.s3.FileService;
import org.apache.sis.io.stream.FileCacheByteChannel;

/**
 * {@code s3://bucket/key} objects through Apache SIS's S3 file system ({@code sis-cloud-aws}), which reads by
 * ranges with the AWS SDK's S3 client: credentials, region and endpoint come from the SDK's usual chain
 * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code AWS_PROFILE} and {@code ~/.aws}, {@code
 * AWS_REGION}, {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} for S3-compatible stores, or the
 * {@code aws.*} system properties); the SDK retries throttling and 5xx answers with back-off. The region
 * defaults to us-east-1 when none is configured, so the SDK does not wait on the EC2 metadata service.
 */
final class S3Objects {
  private static final FileService S3 = new FileService();

  static {
    boolean configured = System.getProperty("aws.region") != null || System.getenv("AWS_REGION") != null
        || System.getenv("AWS_CONFIG_FILE") != null || System.getenv("AWS_PROFILE") != null
        || Files.exists(Path.of(System.getProperty("user.home"), ".aws", "config"));
    if (!configured) {
      System.setProperty("aws.region", "us-east-1");
    }
  }

  private S3Objects() {}

  /** A range-reading channel over the object, its transfers counted; fails here when the object cannot be read. */
  static SeekableByteChannel open(RasterLocation.Remote location) throws IOException {
    String uri = location.uri().toString();
    SeekableByteChannel ch;
    try {
      Path path = S3.getPath(location.uri());
      ch = S3.newByteChannel(path, Set.of(StandardOpenOption.READ));
    } catch (IOException | RuntimeException e) {
      throw RemoteFailures.find(location, e).orElseGet(() -> new RemoteIOException(uri + ": " + firstLine(e), e));
    }
    Transfers.Counter counter = Transfers.counter(uri);
    if (ch instanceof FileCacheByteChannel cached) {
      cached.setFilter((in, start, end) -> {
        counter.request();
        return new Counting(in, counter);
      });
      // The header and a COG's directories: without this the first GET asks for the whole object.
      cached.rangeOfInterest(0, HttpRangeChannel.FIRST_CHUNK);
    }
    try {
      counter.size(ch.size()); // the first request: a missing object or a refusal is reported here
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw RemoteFailures.find(location, e).orElseGet(() -> new RemoteIOException(uri + ": " + firstLine(e), e));
    }
    return ch;
  }

  /** The object's modification time in ms (a HEAD request). */
  static long lastModified(RasterLocation.Remote location) throws IOException {
    try {
      return Files.getLastModifiedTime(S3.getPath(location.uri())).toMillis();
    } catch (IOException | RuntimeException e) {
      throw RemoteFailures.find(location, e)
          .orElseGet(() -> new RemoteIOException(location.uri() + ": " + firstLine(e), e));
    }
  }

  static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /** Counts the body bytes SIS takes from one S3 answer. */
  private static final class Counting extends FilterInputStream {
    private final Transfers.Counter counter;

    Counting(InputStream in, Transfers.Counter counter) {
      super(in);
      this.counter = counter;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counter.received(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        counter.received(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      counter.received(Math.max(0, s));
      return s;
    }
  }
}
