package io.remoteclip.remote;

import io.remoteclip.fs.InputFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a raster (a scene or an image) is: a local file, or an object behind an {@code http(s)://} or
 * {@code s3://} URI. The one type commands, the library and the Spark jobs pass around for "a path or a URI";
 * {@link #open()} gives a seekable channel that reads remote objects by byte ranges (only the bytes asked
 * for), so a Cloud-Optimised GeoTIFF is read window by window, never downloaded whole. A store this module does
 * not know (a Hadoop file system) is one small {@link Stored} class whose channel answers positional reads.
 */
public sealed interface RasterLocation permits RasterLocation.Local, RasterLocation.Remote, RasterLocation.Stored {
  /** The URI schemes read remotely. */
  java.util.Set<String> REMOTE_SCHEMES = java.util.Set.of("http", "https", "s3");

  /**
   * A command-line argument: {@code http(s)://host/path} and {@code s3://bucket/key} are remote, {@code file:}
   * URIs and anything else are local paths.
   *
   * @throws IllegalArgumentException a remote URI that cannot be read (no host, no bucket or key), with a
   *     one-line message naming it
   */
  static RasterLocation parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.indexOf("://");
    String scheme = colon > 0 ? text.substring(0, colon).toLowerCase(Locale.ROOT) : "";
    if (REMOTE_SCHEMES.contains(scheme)) {
      try {
        return of(new URI(text));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(text + ": not a valid URI (" + e.getReason() + ")", e);
      }
    }
    if (scheme.equals("file")) {
      return of(URI.create(text));
    }
    return new Local(Path.of(text));
  }

  /** What output rows record as their source: a local file's absolute path, else the URI. */
  default String source() {
    return this instanceof Local local ? local.path().toAbsolutePath().normalize().toString() : name();
  }

  static RasterLocation of(Path file) {
    return new Local(file);
  }

  /** An absolute {@code http}, {@code https}, {@code s3} or {@code file} URI. */
  static RasterLocation of(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return new Local(Path.of(uri));
    }
    if (!REMOTE_SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException(uri + ": unsupported URI scheme (use a path, http(s):// or s3://)");
    }
    return new Remote(uri);
  }

  /** Whether {@code text} is a remote URI ({@link #parse} would give a {@link Remote}). */
  static boolean isRemote(String text) {
    int colon = text.indexOf("://");
    return colon > 0 && REMOTE_SCHEMES.contains(text.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  /** What messages call this raster: the path as given, or the URI. */
  String name();

  /** The last path segment ("scene.tif"), for naming outputs after the input. */
  String fileName();

  boolean isRemote();

  /** The location as a URI ({@code file:} for a local path). */
  URI uri();

  /**
   * A read-only channel over the raster's bytes. For remote objects each read that misses the channel's
   * cache is an HTTP range request (retried with back-off on 5xx and dropped connections); the transfers are
   * counted in {@link Transfers}.
   *
   * @throws java.nio.file.NoSuchFileException a missing local file
   * @throws RemoteNotFoundException a remote object answering 404
   * @throws RemoteIOException any other remote failure, with a one-line message naming the URI
   */
  SeekableByteChannel open() throws IOException;

  /** Size, and a change marker (modification time in ms, 0 when the server gives none). */
  record Stat(long bytes, long modified) {}

  /** The object's size and modification time, read without its content. */
  Stat stat() throws IOException;

  /**
   * The whole content, for images that are decoded whole (JPEG, PNG): refused with an {@link IOException}
   * naming the location when larger than {@code maxBytes}.
   */
  default byte[] readAll(long maxBytes) throws IOException {
    try (SeekableByteChannel ch = open()) {
      return readAll(ch, maxBytes);
    }
  }

  /** The most bytes the commands and jobs read whole for one image ({@link #readAll}). */
  long MAX_WHOLE_IMAGE_BYTES = 256L << 20;

  /** An image's bytes, with the size and modification time of the object they were read from. */
  record Content(byte[] bytes, Stat stat) {}

  /**
   * {@link #readAll} with the object's {@link Stat}, over one connection (the whole-image jobs record both;
   * a separate {@link #stat()} would fetch a small image twice).
   */
  default Content readWithStat(long maxBytes) throws IOException {
    if (!(this instanceof Remote remote)) {
      Stat st = stat();
      return new Content(readAll(maxBytes), st);
    }
    try (SeekableByteChannel ch = open()) {
      byte[] bytes = readAll(ch, maxBytes);
      return new Content(bytes, new Stat(bytes.length, remote.modified(ch)));
    }
  }

  private byte[] readAll(SeekableByteChannel ch, long maxBytes) throws IOException {
    long size = ch.size();
    if (size > maxBytes) {
      throw new RemoteIOException(name() + ": " + size + " bytes, more than the " + maxBytes
          + " an image read whole may have (scenes are read by windows: scan, index --window)");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    while (buf.hasRemaining() && ch.read(buf) >= 0) {
      // fill
    }
    if (buf.hasRemaining()) {
      throw new RemoteIOException(name() + ": ended after " + buf.position() + " of " + size + " bytes");
    }
    return buf.array();
  }

  /** A file on this machine. */
  record Local(Path path) implements RasterLocation {
    public Local {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public String fileName() {
      Path f = path.getFileName();
      return f == null ? path.toString() : f.toString();
    }

    @Override
    public boolean isRemote() {
      return false;
    }

    @Override
    public URI uri() {
      return path.toAbsolutePath().normalize().toUri();
    }

    @Override
    public SeekableByteChannel open() throws IOException {
      return Files.newByteChannel(InputFiles.requireRegular(path));
    }

    @Override
    public Stat stat() throws IOException {
      var a = Files.readAttributes(InputFiles.requireRegular(path), java.nio.file.attribute.BasicFileAttributes.class);
      return new Stat(a.size(), a.lastModifiedTime().toMillis());
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** An object behind an {@code http://}, {@code https://} or {@code s3://bucket/key} URI. */
  record Remote(URI uri) implements RasterLocation {
    public Remote {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!REMOTE_SCHEMES.contains(scheme)) {
        throw new IllegalArgumentException(uri + ": not an http(s):// or s3:// URI");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new IllegalArgumentException(uri + ": " + (scheme.equals("s3") ? "no bucket (s3://bucket/key)"
            : "no host name"));
      }
      if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
        throw new IllegalArgumentException(uri + ": " + (scheme.equals("s3") ? "no object key (s3://bucket/key)"
            : "no file path"));
      }
    }

    /** Whether this is an {@code s3://} URI (else HTTP). */
    public boolean isS3() {
      return uri.getScheme().equalsIgnoreCase("s3");
    }

    @Override
    public String name() {
      return uri.toString();
    }

    @Override
    public String fileName() {
      String p = uri.getPath();
      return p.substring(p.lastIndexOf('/') + 1);
    }

    @Override
    public boolean isRemote() {
      return true;
    }

    @Override
    public SeekableByteChannel open() throws IOException {
      return isS3() ? S3Objects.open(this) : new HttpRangeChannel(this, RemoteSettings.current());
    }

    @Override
    public Stat stat() throws IOException {
      try (SeekableByteChannel ch = open()) {
        return new Stat(ch.size(), modified(ch));
      }
    }

    /** The modification time of the object {@code ch} (one of this location's channels) reads. */
    long modified(SeekableByteChannel ch) throws IOException {
      return ch instanceof HttpRangeChannel h ? h.lastModified() : S3Objects.lastModified(this);
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /**
   * Bytes another store serves by positional reads, e.g. a Hadoop file system: {@link #open()} answers reads at
   * any position, so a window costs the reads of the tiles it touches, never the whole file. Such a location is
   * not {@link #isRemote() remote} in this module's sense (no HTTP transfers to count or retry here).
   */
  non-sealed interface Stored extends RasterLocation {
    @Override
    default String fileName() {
      String n = name();
      return n.substring(n.lastIndexOf('/') + 1);
    }

    @Override
    default boolean isRemote() {
      return false;
    }

    @Override
    default URI uri() {
      return URI.create(name());
    }

    /** The size of an {@link #open()} channel; the modification time is unknown (0). */
    @Override
    default Stat stat() throws IOException {
      try (SeekableByteChannel ch = open()) {
        return new Stat(ch.size(), 0);
      }
    }
  }
}
