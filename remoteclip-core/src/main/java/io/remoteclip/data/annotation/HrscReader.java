package io.remoteclip.data.annotation;

import io.remoteclip.DataFormatException;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HRSC2016 XML ({@code HRSC_Image}): size from {@code Img_SizeWidth/Height}, image
 * {@code Img_FileName.Img_FileFmt}, objects {@code HRSC_Objects/HRSC_Object} with the horizontal box
 * {@code box_xmin…box_ymax}, the rotated box {@code mbox_cx, mbox_cy, mbox_w, mbox_h, mbox_ang} (radians,
 * kept as polygon) and {@code difficult}. Every HRSC object is a ship: the class is looked up by
 * {@code Class_ID} in the classes file when one is given (to name ship types), else it is "ship".
 */
public final class HrscReader implements AnnotationReader {

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
      double w = ReaderSupport.number(root.childText("Img_SizeWidth"));
      double h = ReaderSupport.number(root.childText("Img_SizeHeight"));
      List<LabeledObject> objects = new ArrayList<>();
      XmlTree list = root.child("HRSC_Objects");
      for (XmlTree obj : list == null ? List.<XmlTree>of() : list.all("HRSC_Object")) {
        BoundingBox box = new BoundingBox(ReaderSupport.number(obj.childText("box_xmin")),
            ReaderSupport.number(obj.childText("box_ymin")), ReaderSupport.number(obj.childText("box_xmax")),
            ReaderSupport.number(obj.childText("box_ymax")));
        double[] poly = RotatedBox.corners(ReaderSupport.number(obj.childText("mbox_cx")),
            ReaderSupport.number(obj.childText("mbox_cy")), ReaderSupport.number(obj.childText("mbox_w")),
            ReaderSupport.number(obj.childText("mbox_h")), ReaderSupport.number(obj.childText("mbox_ang")));
        for (double v : poly) {
          if (Double.isNaN(v)) {
            poly = null;
            break;
          }
        }
        String label = classes.isClosed() ? String.valueOf(obj.childText("Class_ID")) : "ship";
        LabeledObject o = ReaderSupport.object(out, file, obj.line, label, classes, box, poly,
            "1".equals(obj.childText("difficult")));
        if (o != null) {
          objects.add(o);
        }
      }
      String name = root.childText("Img_FileName");
      if (name == null || name.isEmpty()) {
        name = ReaderSupport.stem(file);
      }
      String fmt = root.childText("Img_FileFmt");
      String withExt = fmt == null || fmt.isEmpty() ? name : name + "." + fmt;
      out.add(new AnnotatedImage(withExt, images.locate(withExt), w > 0 ? (int) w : -1,
          h > 0 ? (int) h : -1, objects, file));
    }
    return out;
  }
}
