package io.remoteclip.stac;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Resolving STAC hrefs, which are relative to the document that holds them, and naming documents in messages. */
final class Hrefs {
  private Hrefs() {}

  /**
   * {@code href} made absolute against {@code base}; the error names {@code where} (the document) and
   * {@code what} (the href's role).
   */
  static URI resolve(URI base, String href, String where, String what) throws StacFormatException {
    if (href == null || href.isBlank()) {
      throw new StacFormatException(where + ": " + what + " has no href");
    }
    URI ref;
    try {
      ref = new URI(href.strip());
    } catch (URISyntaxException e) {
      throw new StacFormatException(where + ": " + what + " \"" + href + "\" is not a URI reference ("
          + e.getReason() + ")");
    }
    if (ref.isAbsolute()) {
      return ref;
    }
    if (base.isOpaque()) {
      throw new StacFormatException(where + ": " + what + " \"" + href + "\" is relative to " + base
          + ", which cannot resolve it");
    }
    return base.resolve(ref);
  }

  /** A document's location as a person reads it: a path for a local file, the URI otherwise. */
  static String display(URI location) {
    if ("file".equals(location.getScheme())) {
      try {
        return Path.of(location).toString();
      } catch (IllegalArgumentException e) {
        return location.toString();
      }
    }
    return location.toString();
  }
}
