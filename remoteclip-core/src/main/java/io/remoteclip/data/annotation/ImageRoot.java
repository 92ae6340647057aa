package io.remoteclip.data.annotation;

import io.remoteclip.image.ImageFiles;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.remote.RemoteNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the images an annotation set names are: a local directory, or an {@code http(s)://} or {@code s3://}
 * prefix under which each image is an object ({@code PREFIX/name}). Remote images are {@link RasterLocation}s, so
 * a tiled scene is read window by window by ranges; an annotation naming an image without its extension (DOTA)
 * costs one small request per suffix tried.
 */
public sealed interface ImageRoot permits ImageRoot.Local, ImageRoot.Remote {
  /** {@code text}: a local directory, or a remote prefix ({@link RasterLocation#isRemote}). */
  static ImageRoot parse(String text) {
    if (!RasterLocation.isRemote(text)) {
      return new Local(Path.of(text));
    }
    try {
      URI uri = new URI(text.endsWith("/") ? text : text + "/");
      RasterLocation.of(uri.resolve("probe")); // the same checks (host, bucket) as a scene URI
      return new Remote(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(text + ": not a valid URI (" + e.getReason() + ")", e);
    }
  }

  static ImageRoot of(Path dir) {
    return new Local(dir);
  }

  /** The image {@code name} names when it exists (trying {@link ImageFiles#LOOKUP_SUFFIXES} without one). */
  Optional<RasterLocation> find(String name) throws IOException;

  /** The image {@code name} names, or where it would be when none exists (the builder reports it missing). */
  default RasterLocation locate(String name) throws IOException {
    Optional<RasterLocation> found = find(name);
    return found.isPresent() ? found.get() : direct(name);
  }

  /** {@code name} under the root, as given. */
  RasterLocation direct(String name);

  /** A local directory. */
  record Local(Path dir) implements ImageRoot {
    @Override
    public Optional<RasterLocation> find(String name) {
      Path p = ImageFiles.locate(dir, name);
      return Files.isRegularFile(p) ? Optional.of(RasterLocation.of(p)) : Optional.empty();
    }

    @Override
    public RasterLocation direct(String name) {
      return RasterLocation.of(dir.resolve(name));
    }

    @Override
    public String toString() {
      return dir.toString();
    }
  }

  /** A prefix ending in {@code /}. */
  record Remote(URI prefix) implements ImageRoot {
    @Override
    public Optional<RasterLocation> find(String name) throws IOException {
      if (name.contains(".") && exists(direct(name))) {
        return Optional.of(direct(name));
      }
      String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
      for (String ext : ImageFiles.LOOKUP_SUFFIXES) {
        RasterLocation candidate = direct(stem + ext);
        if (exists(candidate)) {
          return Optional.of(candidate);
        }
      }
      return Optional.empty();
    }

    @Override
    public RasterLocation direct(String name) {
      StringBuilder path = new StringBuilder();
      for (String part : name.split("/")) {
        path.append(path.length() == 0 ? "" : "/").append(encode(part));
      }
      return RasterLocation.of(prefix.resolve(path.toString()));
    }

    /** A 404 is "not there"; a 403, an unreachable host or a server error is the user's to see. */
    private static boolean exists(RasterLocation location) throws IOException {
      try {
        location.stat();
        return true;
      } catch (RemoteNotFoundException e) {
        return false;
      }
    }

    private static String encode(String segment) {
      try {
        return new URI(null, null, segment, null).getRawPath().replace(":", "%3A");
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(segment + ": cannot be part of a URI", e);
      }
    }

    @Override
    public String toString() {
      return prefix.toString();
    }
  }
}
