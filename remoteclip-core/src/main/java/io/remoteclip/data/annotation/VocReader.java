package io.remoteclip.data.annotation;

import io.remoteclip.DataFormatException;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pascal VOC XML, one file per image (DIOR, HRRSD, RSOD, DIOR-R). Each {@code annotation/object} gives
 * {@code name}, {@code difficult} and either a horizontal {@code bndbox} ({@code xmin ymin xmax ymax}) or an
 * oriented {@code robndbox}: DIOR-R's four corners ({@code x_left_top y_left_top … x_left_bottom
 * y_left_bottom}) or roLabelImg's {@code cx cy w h angle} (radians). Class names are read from
 * {@code object/name} only (HRRSD also has {@code owner/name}). The image is {@code filename}, falling back
 * to the XML's stem with a usual image extension.
 */
public final class VocReader implements AnnotationReader {
  private static final String[] DIOR_CORNERS = {
    "x_left_top", "y_left_top", "x_right_top", "y_right_top",
    "x_right_bottom", "y_right_bottom", "x_left_bottom", "y_left_bottom"
  };

  @Override
  public Annotations read(Path annotations, ImageRoot images, ClassTable classes) throws IOException {
    Annotations out = new Annotations();
    for (Path file : ReaderSupport.files(annotations, ".xml")) {
      XmlTree root;
      try {
        root = XmlTree.parse(file);
      } catch (DataFormatException e) {
        XmlTree.report(out, file, e);
        continue;
      }
      int w = -1, h = -1;
      XmlTree size = root.child("size");
      if (size != null) {
        double dw = ReaderSupport.number(size.childText("width"));
        double dh = ReaderSupport.number(size.childText("height"));
        if (dw > 0 && dh > 0) {
          w = (int) dw;
          h = (int) dh;
        } else {
          out.issue(file, size.line, "size/width or height missing or not a positive number;"
              + " the image file's size is used", Action.CORRECTED);
        }
      }
      List<LabeledObject> objects = new ArrayList<>();
      for (XmlTree obj : root.all("object")) {
        LabeledObject o = object(out, file, obj, classes);
        if (o != null) {
          objects.add(o);
        }
      }
      String name = root.childText("filename");
      if (name == null || name.isEmpty()) {
        name = ReaderSupport.stem(file);
      }
      // find's answer is the location itself: asking locate after it would look the image up a second time
      java.util.Optional<io.remoteclip.remote.RasterLocation> found = images.find(name);
      io.remoteclip.remote.RasterLocation image = found.isPresent() ? found.get() : images.locate(ReaderSupport.stem(file));
      out.add(new AnnotatedImage(name, image, w, h, objects, file));
    }
    return out;
  }

  static LabeledObject object(Annotations out, Path file, XmlTree obj, ClassTable classes) {
    String label = obj.childText("name");
    if (label == null || label.isEmpty()) {
      out.issue(file, obj.line, "object without <name>", Action.SKIPPED_OBJECT);
      return null;
    }
    boolean difficult = "1".equals(obj.childText("difficult"));
    XmlTree bnd = obj.child("bndbox");
    XmlTree rob = obj.child("robndbox");
    if (rob != null) {
      double[] quad = rob.child("x_left_top") != null ? corners(rob) : rotated(rob);
      for (double v : quad) {
        if (Double.isNaN(v)) {
          out.issue(file, rob.line, "robndbox has a missing or non-numeric value", Action.SKIPPED_OBJECT);
          return null;
        }
      }
      return ReaderSupport.object(out, file, obj.line, label, classes, BoundingBox.enclosing(quad), quad, difficult);
    }
    if (bnd == null) {
      out.issue(file, obj.line, "object '" + label + "' has neither <bndbox> nor <robndbox>", Action.SKIPPED_OBJECT);
      return null;
    }
    BoundingBox box = new BoundingBox(ReaderSupport.number(bnd.childText("xmin")),
        ReaderSupport.number(bnd.childText("ymin")), ReaderSupport.number(bnd.childText("xmax")),
        ReaderSupport.number(bnd.childText("ymax")));
    return ReaderSupport.object(out, file, bnd.line, label, classes, box, null, difficult);
  }

  private static double[] corners(XmlTree rob) {
    double[] q = new double[8];
    for (int i = 0; i < 8; i++) {
      q[i] = ReaderSupport.number(rob.childText(DIOR_CORNERS[i]));
    }
    return q;
  }

  private static double[] rotated(XmlTree rob) {
    return RotatedBox.corners(ReaderSupport.number(rob.childText("cx")), ReaderSupport.number(rob.childText("cy")),
        ReaderSupport.number(rob.childText("w")), ReaderSupport.number(rob.childText("h")),
        ReaderSupport.number(rob.childText("angle")));
  }
}
