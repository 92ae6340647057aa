package io.remoteclip.data.caption;

/** What a B2C caption describes (captions 1–2 location, 3–4 counts, 5 class combination). */
public enum CaptionKind {
  LOCATION, COUNT, CLASSES;

  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
