package io.remoteclip.data.build;

import io.remoteclip.data.annotation.ImageRoot;
import io.remoteclip.data.annotation.AnnotationFormat;
import io.remoteclip.data.annotation.ClassTable;
import io.remoteclip.data.caption.BoxToCaption.StuffMode;
import io.remoteclip.data.caption.PhraseSet;
import io.remoteclip.data.m2b.MinArea;
import java.nio.file.Path;

/**
 * One annotated source to convert.
 *
 * @param name short name; output images go to {@code images/<name>/} and captions.jsonl records it
 * @param tile tile size in pixels, 0 = no tiling (images larger than the tile are cut, others kept whole)
 * @param overlap overlap of neighbouring tiles in pixels
 * @param minInside fraction of an object's area that must lie in a tile for it to count there
 * @param tileFormat "png" or "jpg"
 */
public record SourceSpec(
    String name, AnnotationFormat format, Path annotations, ImageRoot images, ClassTable classes, PhraseSet phrases,
    StuffMode stuff, MinArea minArea, int tile, int overlap, double minInside, String tileFormat) {

  public SourceSpec {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("source name '" + name + "' must be letters, digits, '.', '_' or '-'");
    }
    if (!tileFormat.equals("png") && !tileFormat.equals("jpg")) {
      throw new IllegalArgumentException("tile format must be png or jpg, got '" + tileFormat + "'");
    }
  }

  /** Defaults: satellite phrases, stuff presence, 0.1 % min area, no tiling, 0.5 inside, PNG tiles. */
  public static SourceSpec of(String name, AnnotationFormat format, Path annotations, Path images) {
    return of(name, format, annotations, ImageRoot.of(images));
  }

  /** {@link #of(String, AnnotationFormat, Path, Path)} with images in a directory or under a remote prefix. */
  public static SourceSpec of(String name, AnnotationFormat format, Path annotations, ImageRoot images) {
    return new SourceSpec(name, format, annotations, images, ClassTable.open(), PhraseSet.SATELLITE,
        StuffMode.PRESENCE, MinArea.DEFAULT, 0, 0, 0.5, "png");
  }

  public SourceSpec withTiling(int size, int overlapPixels) {
    return new SourceSpec(name, format, annotations, images, classes, phrases, stuff, minArea, size, overlapPixels,
        minInside, tileFormat);
  }

  public SourceSpec withClasses(ClassTable table) {
    return new SourceSpec(name, format, annotations, images, table, phrases, stuff, minArea, tile, overlap,
        minInside, tileFormat);
  }

  public SourceSpec withMinArea(MinArea area) {
    return new SourceSpec(name, format, annotations, images, classes, phrases, stuff, area, tile, overlap,
        minInside, tileFormat);
  }
}
