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
      return canonical(ref);
    }
    if (base.isOpaque()) {
      throw new StacFormatException(where + ": " + what + " \"" + href + "\" is relative to " + base
          + ", which cannot resolve it");
    }
    if (ref.getRawAuthority() == null && ref.getRawPath().isEmpty()) {
      // "?page=2" or "#part": the base document itself (RFC 3986 5.2.2; URI.resolve follows RFC 2396 here).
      String b = base.toString();
      int cut = ref.getRawQuery() != null ? indexOfAny(b, '?', '#') : indexOfAny(b, '#');
      return canonical(URI.create((cut < 0 ? b : b.substring(0, cut)) + href.strip()));
    }
    return canonical(base.resolve(ref));
  }

  /** {@code file:/x} as {@code file:///x}, the form {@link Path#toUri()} writes, so that equal files compare equal. */
  private static URI canonical(URI uri) {
    if ("file".equalsIgnoreCase(uri.getScheme()) && uri.getRawAuthority() == null && uri.getRawQuery() == null
        && uri.getRawFragment() == null && uri.getRawPath() != null && uri.getRawPath().startsWith("/")) {
      return URI.create("file://" + uri.getRawPath());
    }
    return uri;
  }

  private static int indexOfAny(String s, char... chars) {
    int best = -1;
    for (char c : chars) {
      int i = s.indexOf(c);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
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
