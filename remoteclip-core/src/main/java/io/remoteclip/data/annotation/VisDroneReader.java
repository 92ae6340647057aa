package io.remoteclip.data.annotation;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VisDrone-DET txt: one file per image, one object per line
 * {@code x,y,w,h,score,category,truncation,occlusion} (a trailing comma is tolerated). Category 0 (ignored
 * regions) and 11 ("others") are excluded; 1–10 are pedestrian, people, bicycle, car, van, truck, tricycle,
 * awning-tricycle, bus, motor. A classes file keyed by category number overrides these names.
 */
public final class VisDroneReader implements AnnotationReader {
  private static final String[] NAMES = {
    "ignored regions", "pedestrian", "people", "bicycle", "car", "van", "truck", "tricycle", "awning-tricycle",
    "bus", "motor", "others"
  };

  /** The default VisDrone table (categories 0 and 11 ignored). */
  public static ClassTable defaultClasses() {
    Map<String, ClassTable.Entry> m = new LinkedHashMap<>();
    for (int i = 0; i < NAMES.length; i++) {
      String name = ObjectNames.normalize(NAMES[i]);
      ClassRole role = i == 0 || i == 11 ? ClassRole.IGNORE : ClassRole.COUNT;
      m.put(String.valueOf(i), new ClassTable.Entry(name, ObjectNames.plural(name), role));
    }
    return ClassTable.of(m);
  }

  @Override
  public Annotations read(Path annotations, ImageRoot images, ClassTable classes) throws IOException {
    ClassTable table = classes.isClosed() ? defaultClasses().overriddenBy(classes) : defaultClasses();
    Annotations out = new Annotations();
    for (Path file : ReaderSupport.files(annotations, ".txt")) {
      List<String> lines = InputFiles.readLines(file);
      List<LabeledObject> objects = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split("\\s*,\\s*");
        if (f.length < 6) {
          out.issue(file, i + 1, "expected 'x,y,w,h,score,category,truncation,occlusion', got " + f.length
              + " fields", Action.SKIPPED_OBJECT);
          continue;
        }
        double x = ReaderSupport.number(f[0]), y = ReaderSupport.number(f[1]);
        double w = ReaderSupport.number(f[2]), h = ReaderSupport.number(f[3]);
        String category = f[5].trim();
        if (!category.matches("\\d+")) {
          out.issue(file, i + 1, "category must be an integer 0..11, not '" + category + "'", Action.SKIPPED_OBJECT);
          continue;
        }
        LabeledObject o = ReaderSupport.object(out, file, i + 1, category, table, BoundingBox.ofXywh(x, y, w, h),
            null, false);
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
