package io.remoteclip.data.annotation;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DOTA {@code labelTxt}: one file per image ({@code P0706.txt} → image {@code P0706.png}), optional
 * {@code imagesource:} and {@code gsd:} header lines, then {@code x1 y1 x2 y2 x3 y3 x4 y4 class [difficult]}
 * per object (integer or float pixels, LF or CRLF). The quadrilateral is kept as the polygon, its extent is
 * the box. DOTA states no image size: the builder takes it from the image file.
 */
public final class DotaReader implements AnnotationReader {

  @Override
  public Annotations read(Path annotations, ImageRoot images, ClassTable classes) throws IOException {
    Annotations out = new Annotations();
    for (Path file : ReaderSupport.files(annotations, ".txt")) {
      List<String> lines = InputFiles.readLines(file);
      List<LabeledObject> objects = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("imagesource:") || line.startsWith("gsd:")) {
          continue;
        }
        String[] f = line.split("\\s+");
        if (f.length < 9 || f.length > 10) {
          out.issue(file, i + 1, "expected 'x1 y1 x2 y2 x3 y3 x4 y4 class [difficult]', got " + f.length
              + " fields", Action.SKIPPED_OBJECT);
          continue;
        }
        double[] quad = new double[8];
        boolean bad = false;
        for (int k = 0; k < 8; k++) {
          quad[k] = ReaderSupport.number(f[k]);
          bad |= Double.isNaN(quad[k]);
        }
        if (bad) {
          out.issue(file, i + 1, "coordinate is not a number in '" + line + "'", Action.SKIPPED_OBJECT);
          continue;
        }
        boolean difficult = false;
        if (f.length == 10) {
          if (!f[9].equals("0") && !f[9].equals("1")) {
            out.issue(file, i + 1, "difficult flag must be 0 or 1, not '" + f[9] + "'", Action.SKIPPED_OBJECT);
            continue;
          }
          difficult = f[9].equals("1");
        }
        LabeledObject o = ReaderSupport.object(out, file, i + 1, f[8], classes, BoundingBox.enclosing(quad),
            quad, difficult);
        if (o != null) {
          objects.add(o);
        }
      }
      String stem = ReaderSupport.stem(file);
      out.add(new AnnotatedImage(stem, images.locate(stem), -1, -1, objects, file));
    }
    return out;
  }
}
