package io.remoteclip.parquet;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.WKTWriter;

/** Footprint rings to WKB and WKT and back to boxes, through JTS (GeoParquet's WKB is ISO/OGC simple features). */
public final class Geometries {
  private static final GeometryFactory FACTORY = new GeometryFactory();

  private Geometries() {}

  /** The polygon of a closed ring of {@code [x, y]} positions. */
  public static Polygon polygon(double[][] ring) {
    Coordinate[] c = new Coordinate[ring.length];
    for (int i = 0; i < ring.length; i++) {
      c[i] = new Coordinate(ring[i][0], ring[i][1]);
    }
    return FACTORY.createPolygon(c);
  }

  /** Little-endian 2-D WKB (what GDAL, GeoPandas and DuckDB write). */
  public static byte[] wkb(Geometry g) {
    return new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN).write(g);
  }

  /** Full-precision WKT. */
  public static String wkt(Geometry g) {
    return new WKTWriter(2).write(g);
  }

  /** The geometry of WKB bytes. */
  public static Geometry read(byte[] wkb) throws ParseException {
    return new WKBReader(FACTORY).read(wkb);
  }

  /** {@code xmin, ymin, xmax, ymax} of a geometry, null when it is empty. */
  public static double[] box(Geometry g) {
    Envelope e = g.getEnvelopeInternal();
    return e.isNull() ? null : new double[] {e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()};
  }

  /** The union of two boxes (either may be null). */
  static double[] union(double[] a, double[] b) {
    if (a == null) {
      return b == null ? null : b.clone();
    }
    if (b == null) {
      return a.clone();
    }
    return new double[] {Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])};
  }
}
