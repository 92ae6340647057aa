package io.remoteclip.data.annotation;

/**
 * One annotated object: readable singular class name, box in image pixels, optional polygon
 * ({@code x1,y1,x2,y2,...}, oriented boxes and instance outlines), difficult flag, role of its class, and
 * the annotation line it came from (for messages).
 */
public record LabeledObject(
    String className, BoundingBox box, double[] polygon, boolean difficult, ClassRole role, int line) {

  public LabeledObject {
    if (polygon != null && polygon.length < 6) {
      polygon = null;
    }
  }

  public boolean counted() {
    return role == ClassRole.COUNT;
  }

  public LabeledObject withGeometry(BoundingBox newBox, double[] newPolygon) {
    return new LabeledObject(className, newBox, newPolygon, difficult, role, line);
  }
}
