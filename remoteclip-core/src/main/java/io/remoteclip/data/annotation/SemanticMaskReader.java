package io.remoteclip.data.annotation;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.BufferedImages;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import io.remoteclip.data.m2b.LabelRaster;
import io.remoteclip.data.m2b.MaskToBoxes;
import io.remoteclip.data.m2b.MinArea;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Semantic masks (PNG or any decodable image) turned into objects by M2B. One-band masks are keyed by pixel
 * value, colour masks by {@code "r,g,b"}; the class table must be closed (a classes file or a built-in table
 * such as {@code loveda}, {@code isprs}, {@code isaid}). Counted classes give one object per connected
 * component (8-connectivity) of at least the minimum area; a stuff class gives one object (extent of all its
 * pixels) when it covers at least the minimum area, which captions may mention as present but never count.
 *
 * <p>Each mask pairs with the image of the same stem in the images directory; when there is none, trailing
 * {@code _suffix} parts are cut from the mask stem until one matches ({@code P0003_instance_color_RGB} →
 * {@code P0003}).
 */
public final class SemanticMaskReader implements AnnotationReader {
  private final MinArea minArea;

  public SemanticMaskReader(MinArea minArea) {
    this.minArea = minArea;
  }

  @Override
  public Annotations read(Path annotations, ImageRoot images, ClassTable classes) throws IOException, DataFormatException {
    if (!classes.isClosed()) {
      throw new ClassTableRequiredException("mask format needs a class table (a classes file, or one of "
          + String.join("|", BuiltinClassTables.names()) + ")");
    }
    Annotations out = new Annotations();
    for (Path file : ReaderSupport.files(annotations, ".png")) {
      LabelRaster raster;
      try {
        raster = LabelRaster.of(BufferedImages.read(file));
      } catch (DataFormatException e) {
        out.issue(file, 0, e.getMessage().replace(file + ":", "").trim(), Action.SKIPPED_FILE);
        continue;
      }
      List<LabeledObject> objects = objects(raster, classes, minArea, file, out);
      io.remoteclip.remote.RasterLocation image = matchImage(images, file);
      out.add(new AnnotatedImage(image.fileName(), image, raster.width(), raster.height(), objects,
          file, file));
    }
    return out;
  }

  /**
   * Objects of a mask (or a tile of it). Mask values missing from the table are reported to {@code issues}
   * (when not null) and ignored.
   */
  public static List<LabeledObject> objects(LabelRaster raster, ClassTable classes, MinArea minArea, Path file,
      Annotations issues) {
    long min = minArea.pixelsFor(raster.width(), raster.height());
    List<String> keys = raster.keys();
    ClassTable.Entry[] entries = new ClassTable.Entry[keys.size()];
    long[] hist = raster.histogram();
    for (int i = 0; i < keys.size(); i++) {
      entries[i] = classes.lookup(keys.get(i));
      if (entries[i] == null && issues != null && hist[i] > 0) {
        issues.issue(file, 0, "mask value " + keys.get(i) + " (" + hist[i] + " pixels) is not in the class table",
            Action.SKIPPED_OBJECT);
      }
    }
    List<LabeledObject> out = new ArrayList<>();
    BoundingBox[] stuffExtent = new BoundingBox[keys.size()];
    for (MaskToBoxes.Component c : MaskToBoxes.components(raster, 1)) {
      BoundingBox box = new BoundingBox(c.x0(), c.y0(), c.x1(), c.y1());
      ClassTable.Entry e = entries[c.labelId()];
      if (e == null || e.role() == ClassRole.IGNORE) {
        continue;
      }
      if (e.role() == ClassRole.STUFF) {
        BoundingBox b = stuffExtent[c.labelId()];
        stuffExtent[c.labelId()] = b == null ? box : new BoundingBox(Math.min(b.x0(), box.x0()),
            Math.min(b.y0(), box.y0()), Math.max(b.x1(), box.x1()), Math.max(b.y1(), box.y1()));
      } else if (c.pixels() >= min) {
        out.add(new LabeledObject(e.name(), box, null, false, ClassRole.COUNT, 0));
      }
    }
    for (int i = 0; i < keys.size(); i++) {
      if (stuffExtent[i] != null && hist[i] >= min) {
        out.add(new LabeledObject(entries[i].name(), stuffExtent[i], null, false, ClassRole.STUFF, 0));
      }
    }
    return out;
  }

  static io.remoteclip.remote.RasterLocation matchImage(ImageRoot images, Path mask) throws IOException {
    String maskStem = ReaderSupport.stem(mask);
    String stem = maskStem;
    while (true) {
      java.util.Optional<io.remoteclip.remote.RasterLocation> p = images.find(stem);
      if (p.isPresent() && !(p.get() instanceof io.remoteclip.remote.RasterLocation.Local local
          && Files.isSameFile(local.path(), mask))) {
        return p.get();
      }
      int cut = stem.lastIndexOf('_');
      if (cut <= 0) {
        return images.direct(maskStem);
      }
      stem = stem.substring(0, cut);
    }
  }
}
