package io.remoteclip.data.build;

import io.remoteclip.DataFormatException;
import io.remoteclip.data.annotation.AnnotationFormat;
import io.remoteclip.data.annotation.BuiltinClassTables;
import io.remoteclip.data.annotation.ClassTable;
import io.remoteclip.data.caption.BoxToCaption.StuffMode;
import io.remoteclip.data.caption.PhraseSet;
import io.remoteclip.data.m2b.MinArea;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns the textual settings of a source (from the command line or a manifest entry) into a
 * {@link SourceSpec}. Unset values (null) take the defaults of {@link SourceSpec#of}.
 */
public final class SourceOptions {
  public String name;
  public String format;
  public Path annotations;
  /** A directory, or an {@code http(s)://} or {@code s3://} prefix. */
  public io.remoteclip.data.annotation.ImageRoot images;
  /** Built-in table name ({@code isaid}, {@code loveda}, {@code isprs}, {@code isprs-rgb}). */
  public String classes;
  public Path classesFile;
  /** {@code satellite}, {@code uav} or a phrase file. */
  public String phrases;
  /** {@code presence} or {@code none}. */
  public String stuff;
  public String minArea;
  public Integer tile;
  public Integer overlap;
  public Double minInside;
  public String tileFormat;

  public SourceSpec toSpec() throws IOException, DataFormatException {
    if (format == null || annotations == null || images == null) {
      throw new IllegalArgumentException("a source needs a format, annotations and images");
    }
    AnnotationFormat f = AnnotationFormat.parse(format);
    String n = name != null ? name : f.cliName();
    ClassTable table = ClassTable.open();
    if (classes != null) {
      table = BuiltinClassTables.get(classes.toLowerCase(Locale.ROOT));
      if (table == null) {
        throw new IllegalArgumentException("unknown built-in class table '" + classes + "' (known: "
            + String.join(", ", BuiltinClassTables.names()) + ")");
      }
    }
    if (classesFile != null) {
      ClassTable file = ClassTable.read(classesFile);
      table = classes != null ? table.overriddenBy(file) : file;
    }
    PhraseSet ph = phrases == null ? (f == AnnotationFormat.VISDRONE ? PhraseSet.UAV : PhraseSet.SATELLITE)
        : PhraseSet.named(phrases);
    StuffMode sm = StuffMode.PRESENCE;
    if (stuff != null) {
      try {
        sm = StuffMode.valueOf(stuff.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("stuff mode must be presence or none, not '" + stuff + "'");
      }
    }
    int t = tile == null ? 0 : tile;
    int ov = overlap == null ? (t > 0 ? t / 5 : 0) : overlap;
    if (t > 0 && (ov < 0 || ov >= t)) {
      throw new IllegalArgumentException("overlap must be in [0, tile size), got " + ov);
    }
    if (t < 0 || (t > 0 && t < 16)) {
      throw new IllegalArgumentException("tile size must be 0 (off) or at least 16 pixels, got " + t);
    }
    String tf = tileFormat == null ? "png" : tileFormat.toLowerCase(Locale.ROOT).replace("jpeg", "jpg");
    return new SourceSpec(n, f, annotations, images, table, ph, sm,
        minArea == null ? MinArea.DEFAULT : MinArea.parse(minArea), t, ov, minInside == null ? 0.5 : minInside, tf);
  }
}
