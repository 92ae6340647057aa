package io.remoteclip.data.build;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.image.BufferedImages;
import io.remoteclip.data.annotation.AnnotatedImage;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import io.remoteclip.data.annotation.Annotations;
import io.remoteclip.data.annotation.BoundingBox;
import io.remoteclip.data.annotation.LabeledObject;
import io.remoteclip.data.annotation.SemanticMaskReader;
import io.remoteclip.data.m2b.LabelRaster;
import io.remoteclip.data.tile.Polygons;
import io.remoteclip.data.tile.Tile;
import io.remoteclip.data.tile.Tiler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Checks annotated images against their image files and splits them into {@link ImageUnit}s (whole images,
 * or tiles of scenes larger than the tile size). Shared by the caption and counting-set builders.
 */
public final class ImageUnits {
  private ImageUnits() {}

  /** Tolerance for boxes reaching past the border (rounding in many annotation tools). */
  private static final double BORDER_SLACK = 1.0;

  /**
   * The image with its real size and its objects clipped to it, or null when the image is unusable
   * (missing, undecodable); problems go to {@code issues}.
   */
  public static AnnotatedImage validate(AnnotatedImage img, Annotations issues) throws IOException {
    if (img.location() == null || !SourceImages.exists(img.location())) {
      String name = String.valueOf(img.location());
      boolean bare = img.location() != null && !img.location().fileName().contains(".");
      issues.issue(img.annotationFile(), 0, "image not found: " + name
          + (bare ? " (tried " + String.join(", ", ImageFiles.LOOKUP_SUFFIXES) + ")" : ""), Action.SKIPPED_IMAGE);
      return null;
    }
    int[] wh;
    try {
      wh = SourceImages.size(img.location());
    } catch (DataFormatException e) {
      issues.issue(img.annotationFile(), 0, e.getMessage(), Action.SKIPPED_IMAGE);
      return null;
    }
    int w = wh[0], h = wh[1];
    if (img.hasSize() && (img.width() != w || img.height() != h)) {
      issues.issue(img.annotationFile(), 0, "declared size " + img.width() + "x" + img.height() + " differs from "
          + img.location().fileName() + " (" + w + "x" + h + "); the image's size is used", Action.CORRECTED);
    }
    List<LabeledObject> kept = new ArrayList<>();
    for (LabeledObject o : img.objects()) {
      BoundingBox b = o.box();
      if (b.x1() <= 0 || b.y1() <= 0 || b.x0() >= w || b.y0() >= h) {
        issues.issue(img.annotationFile(), o.line(), String.format(Locale.ROOT,
            "%s box [%.1f, %.1f, %.1f, %.1f] lies outside the %dx%d image", o.className(), b.x0(), b.y0(), b.x1(),
            b.y1(), w, h), Action.SKIPPED_OBJECT);
        continue;
      }
      if (b.x0() < 0 || b.y0() < 0 || b.x1() > w || b.y1() > h) {
        if (b.x0() < -BORDER_SLACK || b.y0() < -BORDER_SLACK || b.x1() > w + BORDER_SLACK || b.y1() > h + BORDER_SLACK) {
          issues.issue(img.annotationFile(), o.line(), String.format(Locale.ROOT,
              "%s box [%.1f, %.1f, %.1f, %.1f] extends outside the %dx%d image; clipped", o.className(), b.x0(),
              b.y0(), b.x1(), b.y1(), w, h), Action.CORRECTED);
        }
        double[] poly = o.polygon() == null ? null : Polygons.clip(o.polygon(), 0, 0, w, h);
        o = o.withGeometry(b.clipTo(w, h), poly != null && poly.length >= 6 ? poly : null);
      }
      kept.add(o);
    }
    return img.withSize(w, h).withObjects(kept);
  }

  /**
   * Emits the units of a validated image: the whole image when it fits in a tile (or tiling is off), else
   * its tiles. Tiles are decoded from the scene; objects of mask sources are derived anew from each tile
   * of the mask.
   */
  public static void split(SourceSpec spec, AnnotatedImage img, Annotations issues, Consumer<ImageUnit> sink)
      throws IOException {
    boolean tiled = spec.tile() > 0 && (img.width() > spec.tile() || img.height() > spec.tile());
    if (!tiled) {
      sink.accept(new ImageUnit(spec.name(), img, null, img.width(), img.height(), img.objects(), List.of(), null));
      return;
    }
    LabelRaster mask = null;
    SceneTiles scene;
    try {
      scene = SceneTiles.open(img.location());
      if (img.maskFile() != null) {
        mask = LabelRaster.of(BufferedImages.read(img.maskFile()));
      }
    } catch (DataFormatException e) {
      issues.issue(img.annotationFile(), 0, e.getMessage(), Action.SKIPPED_IMAGE);
      return;
    }
    try (scene) {
      Tiler tiler = new Tiler(spec.tile(), spec.overlap(), spec.minInside());
      for (Tile t : tiler.tiles(img.width(), img.height())) {
        List<LabeledObject> objects;
        List<LabeledObject> cut;
        if (mask != null) {
          objects = SemanticMaskReader.objects(mask.crop(t.x(), t.y(), t.width(), t.height()), spec.classes(),
              spec.minArea(), img.maskFile(), null);
          cut = List.of();
        } else {
          Tiler.Clipped c = tiler.clip(img.objects(), t);
          objects = c.kept();
          cut = c.cut();
        }
        BufferedImage pixels;
        try {
          pixels = scene.tile(t);
        } catch (DataFormatException e) {
          issues.issue(img.annotationFile(), 0, e.getMessage(), Action.SKIPPED_IMAGE);
          return;
        }
        sink.accept(new ImageUnit(spec.name(), img, t, t.width(), t.height(), objects, cut, pixels));
      }
    }
  }
}
