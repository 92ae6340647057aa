package io.remoteclip.remote;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sis.io.stream.FileCacheByteChannel;

/**
 * An HTTP object as a seekable channel, one bounded range request per cache miss. It extends Apache SIS's
 * {@link FileCacheByteChannel}, so SIS's GeoTIFF reader announces the byte ranges of the tiles a window needs
 * and this channel asks for exactly those (merged when close), keeping what it received in a temporary file
 * for re-reads. It replaces SIS's own HTTP channel for what that one lacks: time-outs, bounded retries with
 * back-off (5xx, 408, 429, refused or reset connections, bodies cut short), one-line errors naming the URI and
 * the status, and counts of requests and bytes ({@link Transfers}). Reads SIS does not announce (the header,
 * the directories) get 64 KiB, doubling while they stay sequential.
 */
final class HttpRangeChannel extends FileCacheByteChannel {
  static final int FIRST_CHUNK = 64 * 1024;
  static final long MAX_REQUEST = 16L << 20;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)",
      Pattern.CASE_INSENSITIVE);
  /** How java.net.http reports a body shorter than its Content-Length. */
  private static final Pattern CUT_SHORT = Pattern.compile("content-length: (\\d+), bytes received: (\\d+)");
  private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private final URI uri;
  private final RemoteSettings settings;
  private final HttpClient client;
  private final Transfers.Counter counter;
  private long length = -1;
  private long lastModified;
  private long nextSequential = -1;
  private long chunk = FIRST_CHUNK;

  HttpRangeChannel(RasterLocation.Remote location, RemoteSettings settings) throws IOException {
    super("remoteclip-http-");
    this.uri = location.uri();
    this.settings = settings;
    this.client = CLIENTS.computeIfAbsent(settings.timeout(), t -> HttpClient.newBuilder().connectTimeout(t)
        .followRedirects(HttpClient.Redirect.NORMAL).build());
    this.counter = Transfers.counter(uri.toString());
  }

  @Override
  protected String filename() {
    return uri.toString();
  }

  /** The Last-Modified time of the object in ms (0 when the server sent none), known after the first read. */
  synchronized long lastModified() throws IOException {
    size();
    return lastModified;
  }

  @Override
  protected Connection openConnection(long start, long end) throws IOException {
    if (length >= 0 && start >= length) {
      return null;
    }
    // SIS asks for "the rest of the file" when it has announced nothing: read a chunk instead.
    boolean unannounced = end == Long.MAX_VALUE || (length > 0 && end >= length - 1 && end - start + 1 > chunk);
    long last;
    if (unannounced) {
      chunk = start == nextSequential ? Math.min(chunk * 2, MAX_REQUEST) : FIRST_CHUNK;
      last = start + chunk - 1;
    } else {
      last = Math.min(end, start + MAX_REQUEST - 1);
    }
    if (length > 0) {
      last = Math.min(last, length - 1);
    }
    Range r = fetch(start, last);
    if (r == null) {
      return null;
    }
    nextSequential = r.last + 1;
    return new Connection(this, new ByteArrayInputStream(r.body), r.first, r.last, length, true);
  }

  @Override
  protected boolean abort(Connection connection) throws IOException {
    connection.input.close(); // a byte array: the HTTP exchange is already over
    return true;
  }

  /** Bytes {@code first..last} (inclusive) as the server sent them. */
  private record Range(long first, long last, byte[] body) {}

  /** One range, retried; null when {@code first} is past the end (416). */
  private Range fetch(long first, long last) throws IOException {
    String problem = null;
    int attempts = settings.retries() + 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        counter.retried();
        pause(settings.pause(attempt));
      }
      counter.request();
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
          .header("Range", "bytes=" + first + "-" + last).GET();
      if (uri.getScheme().equalsIgnoreCase("http")) {
        request.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain servers
      }
      long wanted = last - first + 1;
      HttpResponse<byte[]> response;
      try {
        response = client.sendAsync(request.build(), info -> body(info, wanted))
            .get(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(uri + ": interrupted");
      } catch (TimeoutException e) {
        problem = "no complete answer within " + settings.timeout().multipliedBy(2).toSeconds() + " s";
        continue;
      } catch (ExecutionException e) {
        problem = transportProblem(e.getCause(), first, wanted);
        continue;
      }
      int status = response.statusCode();
      byte[] body = response.body();
      switch (status) {
        case 206 -> {
          Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
          if (!m.matches()) {
            throw new RemoteIOException(uri + ": HTTP 206 without a valid Content-Range header");
          }
          long from = Long.parseLong(m.group(1));
          long to = Long.parseLong(m.group(2));
          if (!m.group(3).equals("*")) {
            learnSize(Long.parseLong(m.group(3)));
          }
          if (from != first || body.length != to - from + 1) {
            problem = "the server closed the connection early (" + body.length + " of " + (to - from + 1)
                + " bytes at offset " + from + ")";
            continue;
          }
          learnModified(response);
          counter.received(body.length);
          return new Range(from, to, body);
        }
        case 200 -> {
          if (body == null) {
            throw new RemoteIOException(uri + ": the server ignores HTTP Range requests (it answered 200 with the"
                + " whole file); download the file and give its path");
          }
          learnSize(body.length); // a small object sent whole: it fits the range asked for
          learnModified(response);
          counter.received(body.length);
          if (first >= body.length) {
            return null;
          }
          byte[] part = java.util.Arrays.copyOfRange(body, (int) first, (int) Math.min(body.length, last + 1));
          return new Range(first, first + part.length - 1, part);
        }
        case 416 -> {
          return null;
        }
        case 404, 410 -> throw new RemoteNotFoundException(uri + ": HTTP " + status + " (not found)");
        case 401, 403 -> throw new RemoteIOException(uri + ": HTTP " + status + " (access denied"
            + (status == 401 ? ": the server wants credentials)" : ")"));
        case 408, 429, 500, 502, 503, 504 -> problem = "HTTP " + status;
        default -> {
          if (status >= 500) {
            problem = "HTTP " + status;
          } else {
            throw new RemoteIOException(uri + ": HTTP " + status);
          }
        }
      }
    }
    throw new RemoteIOException(uri + ": " + problem + " (" + attempts + (attempts == 1 ? " attempt)" : " attempts)"));
  }

  /** The body of a partial answer (or of a whole one no longer than the range asked for); else dropped unread. */
  private static BodySubscriber<byte[]> body(ResponseInfo info, long wanted) {
    int status = info.statusCode();
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (status == 206 || (status == 200 && declared >= 0 && declared <= Math.max(wanted, FIRST_CHUNK))) {
      return BodySubscribers.ofByteArray();
    }
    return new Dropped();
  }

  /** Cancels the body at once, so an error page or a whole file sent despite the range is not downloaded. */
  private static final class Dropped implements BodySubscriber<byte[]> {
    @Override
    public CompletionStage<byte[]> getBody() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      // cancelled
    }

    @Override
    public void onError(Throwable throwable) {
      // cancelled
    }

    @Override
    public void onComplete() {
      // cancelled
    }
  }

  /** A failure to exchange: retried, except a host name that does not resolve (thrown at once). */
  private String transportProblem(Throwable cause, long first, long wanted) throws RemoteIOException {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        throw new RemoteIOException(uri + ": unknown host " + uri.getHost());
      }
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return "cannot connect to " + uri.getHost() + " (timed out)";
    }
    if (cause instanceof ConnectException) {
      return "cannot connect to " + authority() + " (" + (cause.getMessage() == null ? "refused" : cause.getMessage())
          + ")";
    }
    Matcher short_ = CUT_SHORT.matcher(String.valueOf(cause.getMessage()));
    if (short_.find()) {
      return "the server closed the connection early (" + short_.group(2) + " of " + short_.group(1)
          + " bytes at offset " + first + ")";
    }
    if (cause instanceof EOFException || String.valueOf(cause.getMessage()).contains("EOF")
        || String.valueOf(cause.getMessage()).contains("closed")) {
      return "the server closed the connection early (" + wanted + " bytes at offset " + first + ")";
    }
    return "transfer failed (" + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse("")) + ")";
  }

  private String authority() {
    return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }

  private void learnSize(long size) {
    length = size;
    counter.size(size);
  }

  private void learnModified(HttpResponse<?> response) {
    response.headers().firstValue("Last-Modified").ifPresent(v -> {
      try {
        lastModified = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        // an unparseable date is no date: the size alone marks changes
      }
    });
  }

  private void pause(Duration d) throws InterruptedIOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(uri + ": interrupted");
    }
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
