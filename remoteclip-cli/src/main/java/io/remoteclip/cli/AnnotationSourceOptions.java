package io.remoteclip.cli;

import io.remoteclip.DataFormatException;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.data.build.SourceOptions;
import io.remoteclip.data.build.SourceSpec;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * One annotated source on the command line, shared by {@code captions} and {@code counting-set}: format,
 * annotations, images, class table, M2B minimum area and tiling. An argument group (not a mixin) so that
 * {@code captions} can offer it as the alternative to {@code --manifest}.
 */
final class AnnotationSourceOptions {
  @Option(names = "--format", required = true, paramLabel = "FMT",
      description = "dota, voc, dior-r, hrsc, coco, visdrone or mask.")
  String format;

  @Option(names = "--annotations", required = true, paramLabel = "PATH",
      description = "Annotation file or directory (labelTxt/, Annotations/, a COCO JSON, mask PNGs).")
  Path annotations;

  @Option(names = "--images", required = true, paramLabel = "DIR|URI",
      description = "Directory of the images, or an http(s):// or s3:// prefix they are under (PREFIX/<name>): "
          + "with --tile, (Geo)TIFF scenes there are read tile by tile by range requests, never whole.")
  String images;

  @Option(names = "--name", paramLabel = "NAME", description = "Source name (output subfolder); default: the format.")
  String name;

  @Option(converter = Ranges.Positive.class, names = "--tile", paramLabel = "N",
      description = "Cut images larger than N×N pixels into N×N tiles (default: off)." + Ranges.Positive.HELP)
  Integer tile;

  @Option(converter = Ranges.NonNegative.class, names = "--overlap", paramLabel = "N",
      description = "Tile overlap in pixels (default: tile/5)." + Ranges.NonNegative.HELP)
  Integer overlap;

  @Option(converter = Ranges.Fraction.class, names = "--min-inside", paramLabel = "F",
      description = "Keep an object in a tile when at least this fraction of its area is inside (default 0.5)."
          + Ranges.Fraction.HELP)
  Double minInside;

  @Option(names = "--tile-format", paramLabel = "png|jpg", description = "Format of written tiles (default png).")
  String tileFormat;

  @Option(names = "--classes-file", paramLabel = "FILE",
      description = "Class table: lines 'key | name [| plural] [| count|stuff|ignore]'. Labels not in it are reported and skipped.")
  Path classesFile;

  @Option(names = "--classes", paramLabel = "TABLE", description = "Built-in class table for masks: isaid, loveda, isprs, isprs-rgb.")
  String classes;

  @Option(names = "--min-area", paramLabel = "A",
      description = "M2B minimum component: fraction of the image (default 0.001) or pixels (e.g. 40px).")
  String minArea;

  /** The source these options describe, with the caption-only settings (null: defaults) of {@code captions}. */
  SourceSpec toSpec(CommandSpec spec, String phrases, String stuff) throws IOException, DataFormatException {
    SourceOptions o = new SourceOptions();
    o.name = name;
    o.format = format;
    o.annotations = annotations;
    try {
      o.images = io.remoteclip.data.annotation.ImageRoot.parse(images);
    } catch (IllegalArgumentException e) {
      throw Usage.error(spec, "--images " + e.getMessage());
    }
    o.classes = classes;
    o.classesFile = classesFile;
    o.phrases = phrases;
    o.stuff = stuff;
    o.minArea = minArea;
    o.tile = tile;
    o.overlap = overlap;
    o.minInside = minInside;
    o.tileFormat = tileFormat;
    try {
      return o.toSpec();
    } catch (IllegalArgumentException e) {
      throw Usage.error(spec, e.getMessage());
    }
  }
}
