package io.remoteclip.data.annotation;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.Json;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.DataFormatException;
import io.remoteclip.data.annotation.AnnotationIssue.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COCO instances JSON (iSAID, NWPU VHR-10): {@code images} (id, file_name, width, height),
 * {@code categories} (id, name) and {@code annotations} (image_id, category_id, bbox {@code [x,y,w,h]},
 * segmentation as polygon list or RLE with list or compressed-string counts, iscrowd). The box is
 * {@code bbox}; without one it is the extent of the segmentation. Crowd regions ({@code iscrowd=1}) are
 * not single instances and are skipped with a note. Issues name the JSON line/column and the annotation
 * id. Category names are looked up in the class table by name (a classes file may also key them by id).
 */
public final class CocoReader implements AnnotationReader {
  private static final ObjectMapper JSON = Json.mapper();

  private record Located(JsonNode node, JsonLocation loc, int index) {}

  @Override
  public Annotations read(Path file, ImageRoot images, ClassTable classes) throws IOException, DataFormatException {
    if (Files.isDirectory(file)) {
      throw new java.io.FileNotFoundException(file + ": is a directory; COCO annotations are one JSON file (e.g. "
          + "instances_train2017.json)");
    }
    InputFiles.requireRegular(file);
    Map<String, List<Located>> sections = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw DataFormatException.at(file, 1, "a COCO file must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY && (field.equals("images") || field.equals("annotations")
            || field.equals("categories"))) {
          List<Located> list = new ArrayList<>();
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonLocation loc = p.currentTokenLocation();
            list.add(new Located(JSON.readTree(p), loc, i++));
          }
          sections.put(field, list);
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonParseException e) {
      JsonLocation l = e.getLocation();
      throw DataFormatException.at(file, l == null ? 0 : l.getLineNr(), "malformed JSON: " + e.getOriginalMessage());
    }
    for (String required : new String[] {"images", "annotations", "categories"}) {
      if (!sections.containsKey(required)) {
        throw new DataFormatException(file + ": not a COCO instances file (no '" + required + "' array)");
      }
    }
    Annotations out = new Annotations();
    Map<Long, ClassTable.Entry> categories = new LinkedHashMap<>();
    Map<Long, String> categoryNames = new LinkedHashMap<>();
    for (Located c : sections.get("categories")) {
      long id = c.node.path("id").asLong(Long.MIN_VALUE);
      String name = c.node.path("name").asText("");
      ClassTable.Entry e = classes.lookup(name);
      if (e == null) {
        e = classes.lookup(String.valueOf(id));
      }
      categoryNames.put(id, name);
      if (e != null) {
        categories.put(id, e);
      }
    }
    Map<Long, int[]> sizes = new LinkedHashMap<>();
    Map<Long, String> names = new LinkedHashMap<>();
    Map<Long, List<LabeledObject>> objects = new LinkedHashMap<>();
    for (Located im : sections.get("images")) {
      long id = im.node.path("id").asLong(Long.MIN_VALUE);
      String name = im.node.path("file_name").asText("");
      if (id == Long.MIN_VALUE || name.isEmpty()) {
        out.issue(file, im.loc.getLineNr(), where("images", im) + ": image without id or file_name",
            Action.SKIPPED_IMAGE);
        continue;
      }
      names.put(id, name);
      sizes.put(id, new int[] {im.node.path("width").asInt(-1), im.node.path("height").asInt(-1)});
      objects.put(id, new ArrayList<>());
    }
    for (Located a : sections.get("annotations")) {
      LabeledObject o = annotation(out, file, a, categories, categoryNames, sizes, classes);
      if (o != null) {
        objects.get(a.node.path("image_id").asLong()).add(o);
      }
    }
    for (var e : names.entrySet()) {
      int[] wh = sizes.get(e.getKey());
      out.add(new AnnotatedImage(e.getValue(), images.locate(e.getValue()), wh[0], wh[1],
          objects.get(e.getKey()), file));
    }
    return out;
  }

  private static String where(String section, Located x) {
    JsonNode id = x.node.get("id");
    return section + "[" + x.index + "]" + (id == null ? "" : " (id " + id.asText() + ")");
  }

  private LabeledObject annotation(Annotations out, Path file, Located a, Map<Long, ClassTable.Entry> categories,
      Map<Long, String> categoryNames, Map<Long, int[]> sizes, ClassTable classes) {
    int line = a.loc.getLineNr();
    String where = where("annotations", a);
    JsonNode n = a.node;
    long imageId = n.path("image_id").asLong(Long.MIN_VALUE);
    if (!sizes.containsKey(imageId)) {
      out.issue(file, line, where + ": image_id " + n.path("image_id").asText("(missing)")
          + " is not in 'images'", Action.SKIPPED_OBJECT);
      return null;
    }
    long cat = n.path("category_id").asLong(Long.MIN_VALUE);
    if (!categoryNames.containsKey(cat)) {
      out.issue(file, line, where + ": unknown category_id " + n.path("category_id").asText("(missing)"),
          Action.SKIPPED_OBJECT);
      return null;
    }
    ClassTable.Entry entry = categories.get(cat);
    if (entry == null) {
      out.issue(file, line, where + ": unknown class '" + categoryNames.get(cat) + "' (not in the classes file)",
          Action.SKIPPED_OBJECT);
      return null;
    }
    if (entry.role() == ClassRole.IGNORE) {
      return null;
    }
    if (n.path("iscrowd").asInt(0) == 1) {
      out.issue(file, line, where + ": crowd region is not a countable instance", Action.SKIPPED_OBJECT);
      return null;
    }
    double[] polygon = null;
    BoundingBox segBox = null;
    JsonNode seg = n.get("segmentation");
    try {
      if (seg != null && seg.isArray() && seg.size() > 0) {
        List<double[]> polys = new ArrayList<>();
        for (JsonNode poly : seg) {
          double[] xy = numbers(poly);
          if (xy == null || xy.length < 6 || xy.length % 2 != 0) {
            throw new IllegalArgumentException("segmentation polygon needs an even count (>= 6) of numbers");
          }
          polys.add(xy);
        }
        polygon = polys.get(0);
        for (double[] xy : polys) {
          BoundingBox b = BoundingBox.enclosing(xy);
          segBox = segBox == null ? b : new BoundingBox(Math.min(segBox.x0(), b.x0()), Math.min(segBox.y0(), b.y0()),
              Math.max(segBox.x1(), b.x1()), Math.max(segBox.y1(), b.y1()));
        }
        if (polys.size() > 1) {
          polygon = null; // several parts: only the union box is meaningful
        }
      } else if (seg != null && seg.isObject()) {
        JsonNode size = seg.path("size");
        JsonNode counts = seg.get("counts");
        if (!size.isArray() || size.size() != 2 || counts == null) {
          throw new IllegalArgumentException("RLE segmentation needs 'size' [h, w] and 'counts'");
        }
        long[] runs;
        if (counts.isTextual()) {
          runs = CocoRle.decode(counts.asText());
        } else {
          double[] c = numbers(counts);
          if (c == null) {
            throw new IllegalArgumentException("RLE counts must be numbers or a compressed string");
          }
          runs = new long[c.length];
          for (int i = 0; i < c.length; i++) {
            runs[i] = (long) c[i];
          }
        }
        segBox = CocoRle.extent(runs, size.get(0).asInt(), size.get(1).asInt());
        if (segBox == null) {
          out.issue(file, line, where + ": RLE mask is empty", Action.SKIPPED_OBJECT);
          return null;
        }
      }
    } catch (IllegalArgumentException e) {
      out.issue(file, line, where + ": " + e.getMessage(), Action.SKIPPED_OBJECT);
      return null;
    }
    BoundingBox box = segBox;
    JsonNode bbox = n.get("bbox");
    if (bbox != null && !bbox.isNull()) {
      double[] b = numbers(bbox);
      if (b == null || b.length != 4) {
        out.issue(file, line, where + ": bbox must be 4 numbers [x, y, w, h]", Action.SKIPPED_OBJECT);
        return null;
      }
      box = BoundingBox.ofXywh(b[0], b[1], b[2], b[3]);
    }
    if (box == null) {
      out.issue(file, line, where + ": neither bbox nor segmentation", Action.SKIPPED_OBJECT);
      return null;
    }
    String problem = ReaderSupport.boxProblem(box);
    if (problem != null) {
      out.issue(file, line, where + ": " + problem, Action.SKIPPED_OBJECT);
      return null;
    }
    return new LabeledObject(entry.name(), box, polygon, false, entry.role(), line);
  }

  private static double[] numbers(JsonNode arr) {
    if (!arr.isArray()) {
      return null;
    }
    double[] v = new double[arr.size()];
    for (int i = 0; i < v.length; i++) {
      if (!arr.get(i).isNumber()) {
        return null;
      }
      v[i] = arr.get(i).asDouble();
    }
    return v;
  }
}
