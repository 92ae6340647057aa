package io.remoteclip.hub;

import io.remoteclip.ProgressListener;
import io.remoteclip.fs.AtomicFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file into place, safely:
 *
 * <ul>
 *   <li>bytes go to {@code <target>.part}; an interrupted or stalled transfer is retried with an HTTP
 *       {@code Range} request from where it stopped (a server that ignores the range and answers 200
 *       makes it start over), and a partial file left by an earlier run is resumed the same way;
 *   <li>the finished file must have the expected size and SHA-256, otherwise it is deleted and the
 *       error names both digests; only then is it renamed onto {@code <target>} (atomically);
 *   <li>{@code <target>.lock} serialises concurrent downloads of the same file, across threads and
 *       processes: the one that waited finds the file present and does not download it again;
 *   <li>redirects are followed (Hugging Face answers with a redirect to its CDN); proxy, connect and
 *       read timeouts come from {@link HubSettings}.
 * </ul>
 */
public final class Downloader {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final String USER_AGENT = "remoteclip/0.1 (java.net.http)";

  private final HubSettings settings;
  private final HttpClient client;

  public Downloader(HubSettings settings) {
    this.settings = settings;
    this.client = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .proxy(settings.proxy())
        .build();
  }

  /**
   * Outcome of {@link #fetch}.
   *
   * @param path the file in place
   * @param bytesTransferred bytes received over the network by this call
   * @param alreadyPresent true when the file was there already (possibly fetched by a concurrent pull)
   * @param verified true when its SHA-256 was checked against the expected value by this call
   */
  public record Result(Path path, long bytesTransferred, boolean alreadyPresent, boolean verified) {}

  /**
   * Makes {@code target} hold the file at {@code uri}.
   *
   * @param expectedSize exact size, or {@code null} when unknown
   * @param sha256 expected lower-case hex digest, or {@code null} to skip verification
   * @param force download again even when {@code target} exists
   * @throws NetworkUnavailableException when the server cannot be reached at all
   * @throws DownloadException for HTTP errors, transfers that keep failing, and size or digest mismatches
   */
  public Result fetch(URI uri, Path target, Long expectedSize, String sha256, boolean force,
      ProgressListener progress) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path part = ModelCache.partFile(target);
    try (FileLocks.Held lock = FileLocks.acquire(ModelCache.lockFile(target))) {
      if (force) {
        Files.deleteIfExists(part); // the old file stays usable until the new one replaces it
      } else if (Files.exists(target)) {
        return new Result(target, 0, true, false);
      }
      long[] transferred = {0};
      IOException failure = null;
      for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
        if (attempt > 1) {
          HttpFailures.pause(settings.retryDelay().multipliedBy(1L << Math.min(attempt - 2, 6)), "download");
        }
        try {
          transfer(uri, part, expectedSize, target.getFileName().toString(), transferred, progress);
          failure = null;
          break;
        } catch (Retryable e) {
          failure = e;
        }
      }
      if (failure != null) {
        String kept = Files.exists(part) && Files.size(part) > 0
            ? "; " + Files.size(part) + " bytes are kept in " + part + " and the next pull resumes from there"
            : "";
        throw new DownloadException("download of " + uri + " failed after " + settings.attempts()
            + (settings.attempts() == 1 ? " attempt: " : " attempts: ") + failure.getMessage() + kept, failure);
      }
      verify(uri, part, target.getFileName().toString(), expectedSize, sha256, progress);
      AtomicFiles.moveAtomically(part, target);
      return new Result(target, transferred[0], false, sha256 != null);
    }
  }

  /** One HTTP exchange appending to (or restarting) the partial file; adds the bytes received to {@code counter}. */
  private void transfer(URI uri, Path part, Long expectedSize, String label, long[] counter,
      ProgressListener progress) throws IOException {
    long have = Files.exists(part) ? Files.size(part) : 0;
    if (expectedSize != null && have > expectedSize) {
      Files.delete(part);
      have = 0;
    }
    if (expectedSize != null && have == expectedSize && have > 0) {
      return; // complete already (an earlier run stopped before verification)
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(settings.readTimeout())
        .header("User-Agent", USER_AGENT)
        .GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = send(uri, request.build());
    int status = response.statusCode();
    boolean append;
    if (status == 206 && have > 0) {
      long start = rangeStart(response);
      if (start != have) {
        discard(response);
        Files.deleteIfExists(part);
        throw new Retryable(uri.getHost() + " resumed at byte " + start + " instead of " + have + "; starting over");
      }
      append = true;
    } else if (status == 200) {
      append = false; // no range asked, or the server ignored it: the body is the whole file
      have = 0;
    } else if (status == 416) {
      discard(response);
      Files.deleteIfExists(part);
      throw new Retryable(uri.getHost() + " cannot resume the partial file (HTTP 416); starting over");
    } else {
      discard(response);
      String what = "HTTP " + status + HttpFailures.reason(status) + " for " + uri;
      if (HttpFailures.retryable(status)) {
        throw new Retryable(what);
      }
      throw new DownloadException(what + (status == 404 || status == 410
          ? " (the file is not there: check the URL, or set it in the user models.json)" : ""));
    }
    long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    long total = length >= 0 ? have + length : (expectedSize == null ? -1 : expectedSize);
    BodyReader body = new BodyReader();
    response.body().subscribe(body);
    long received = 0;
    progress.start("downloading " + label, total);
    progress.update(have);
    try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      for (List<ByteBuffer> chunk; (chunk = nextChunk(body, uri, have + received)) != null; ) {
        for (ByteBuffer b : chunk) {
          while (b.hasRemaining()) {
            int n = out.write(b); // a failure here is local (disk full...) and is not retried
            received += n;
            counter[0] += n;
          }
        }
        progress.update(have + received);
      }
      out.force(false);
    } finally {
      body.cancel();
      progress.finish();
    }
    if (length >= 0 && received < length) {
      throw new Retryable("connection to " + uri.getHost() + " closed after " + (have + received) + " of "
          + (have + length) + " bytes");
    }
  }

  /** The next body chunk; network trouble becomes a {@link Retryable} naming how far it got. */
  private List<ByteBuffer> nextChunk(BodyReader body, URI uri, long offset) throws IOException {
    try {
      return body.next(settings.readTimeout());
    } catch (BodyReader.StalledException e) {
      throw new Retryable(uri.getHost() + " stalled: " + e.getMessage() + " after " + offset
          + " bytes (read timeout; REMOTECLIP_READ_TIMEOUT sets it in seconds)");
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      throw new Retryable("connection to " + uri.getHost() + " broke after " + offset + " bytes (" + describe(e) + ")");
    }
  }

  private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(URI uri, HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofPublisher());
    } catch (HttpConnectTimeoutException e) {
      throw new NetworkUnavailableException("cannot connect to " + uri.getHost() + " within "
          + Durations.format(settings.connectTimeout()), e);
    } catch (HttpTimeoutException e) {
      throw new Retryable("no response from " + uri.getHost() + " within "
          + Durations.format(settings.readTimeout()) + " (read timeout; REMOTECLIP_READ_TIMEOUT sets it in seconds)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("download of " + uri + " interrupted");
    } catch (IOException e) {
      String unreachable = HttpFailures.unreachable(e);
      if (unreachable != null) {
        throw new NetworkUnavailableException("cannot reach " + uri.getHost()
            + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + " (" + unreachable + ")", e);
      }
      throw new Retryable("request to " + uri.getHost() + " failed (" + describe(e) + ")");
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private void verify(URI uri, Path part, String label, Long expectedSize, String sha256,
      ProgressListener progress) throws IOException {
    long size = Files.size(part);
    if (expectedSize != null && size != expectedSize) {
      Files.delete(part);
      throw new DownloadException("size mismatch for " + uri + ": expected " + expectedSize + " bytes, got " + size
          + "; the download was deleted");
    }
    if (sha256 != null) {
      String actual = Checksums.sha256(part, label, progress);
      if (!actual.equals(sha256.toLowerCase(Locale.ROOT))) {
        Files.delete(part);
        throw new DownloadException("SHA-256 mismatch for " + uri + ": expected " + sha256 + ", got " + actual
            + "; the download was deleted");
      }
    }
  }

  private static long rangeStart(HttpResponse<?> response) throws Retryable {
    String header = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(header.trim());
    if (!m.matches()) {
      throw new Retryable("206 response without a usable Content-Range (\"" + header + "\")");
    }
    return Long.parseLong(m.group(1));
  }

  private static void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
    BodyReader r = new BodyReader();
    r.cancel();
    response.body().subscribe(r);
  }

  /** A failure worth another try (transient server error, broken or stalled connection). */
  private static final class Retryable extends IOException {
    Retryable(String message) {
      super(message);
    }
  }
}
