package io.remoteclip.stac;

/** A URL given as a STAC API is not one that offers item search (its landing page's {@code conformsTo}). */
public final class StacConformanceException extends StacFormatException {
  public StacConformanceException(String message) {
    super(message);
  }
}
