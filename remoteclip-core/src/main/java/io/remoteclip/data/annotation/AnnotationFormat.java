package io.remoteclip.data.annotation;

import io.remoteclip.data.m2b.MinArea;
import java.util.Locale;

/** The annotation formats the converter reads, by their command-line names. */
public enum AnnotationFormat {
  DOTA, VOC, DIOR_R, HRSC, COCO, VISDRONE, MASK;

  /** Command-line name: {@code dota}, {@code voc}, {@code dior-r}, … */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static AnnotationFormat parse(String s) {
    for (AnnotationFormat f : values()) {
      if (f.cliName().equalsIgnoreCase(s.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown annotation format '" + s
        + "' (expected dota, voc, dior-r, hrsc, coco, visdrone or mask)");
  }

  /** A reader for this format; {@code minArea} matters only for masks. */
  public AnnotationReader reader(MinArea minArea) {
    return switch (this) {
      case DOTA -> new DotaReader();
      case VOC, DIOR_R -> new VocReader();
      case HRSC -> new HrscReader();
      case COCO -> new CocoReader();
      case VISDRONE -> new VisDroneReader();
      case MASK -> new SemanticMaskReader(minArea);
    };
  }
}
