package io.remoteclip.geo;

import java.awt.geom.AffineTransform;
import java.util.Locale;
import java.util.OptionalInt;
import javax.measure.Unit;
import javax.measure.quantity.Length;
import org.apache.sis.measure.Units;
import org.apache.sis.referencing.CRS;
import org.apache.sis.referencing.CommonCRS;
import org.apache.sis.referencing.GeodeticCalculator;
import org.apache.sis.referencing.IdentifiedObjects;
import org.apache.sis.referencing.crs.AbstractCRS;
import org.apache.sis.referencing.cs.AxesConvention;
import org.apache.sis.referencing.operation.transform.MathTransforms;
import org.opengis.referencing.crs.CoordinateReferenceSystem;
import org.opengis.referencing.crs.GeographicCRS;
import org.opengis.referencing.crs.ProjectedCRS;
import org.opengis.referencing.operation.MathTransform;
import org.opengis.referencing.operation.TransformException;
import org.opengis.util.FactoryException;

/**
 * Where a scene's pixels lie on the ground: the affine grid-to-CRS transform (pixel corners, rotation allowed)
 * and the CRS, with reprojection to WGS84 longitude/latitude by Apache SIS. Native coordinates are always in
 * (x, y) = (easting or longitude, northing or latitude) order, as GeoTIFF and GDAL write them, whatever the
 * axis order of the EPSG definition. Immutable; thread-safe.
 */
public final class Georeferencing {
  private final AffineTransform gridToCrs;
  private final CoordinateReferenceSystem crs;
  private final String crsName;
  private final int epsg;
  private final MathTransform toWgs84;

  private Georeferencing(AffineTransform gridToCrs, CoordinateReferenceSystem crs, String crsName, int epsg,
      MathTransform toWgs84) {
    this.gridToCrs = gridToCrs;
    this.crs = crs;
    this.crsName = crsName;
    this.epsg = epsg;
    this.toWgs84 = toWgs84;
  }

  /**
   * The georeferencing of a 2-D grid whose {@code gridToCrs} (pixel corner to {@code crs}, in the CRS's own
   * axis order) is affine.
   *
   * @throws FactoryException when SIS has no operation from {@code crs} to WGS84
   */
  public static Georeferencing of(MathTransform gridToCrs, CoordinateReferenceSystem crs) throws FactoryException {
    CoordinateReferenceSystem xy = AbstractCRS.castOrCopy(crs).forConvention(AxesConvention.DISPLAY_ORIENTED);
    MathTransform toXy = CRS.findOperation(crs, xy, null).getMathTransform();
    MathTransform grid = MathTransforms.concatenate(gridToCrs, toXy);
    var m = MathTransforms.getMatrix(grid);
    if (m == null || m.getNumRow() != 3 || m.getNumCol() != 3) {
      throw new IllegalArgumentException("grid to CRS transform is not a 2-D affine transform: " + grid);
    }
    AffineTransform affine = new AffineTransform(m.getElement(0, 0), m.getElement(1, 0), m.getElement(0, 1),
        m.getElement(1, 1), m.getElement(0, 2), m.getElement(1, 2));
    MathTransform wgs84 = CRS.findOperation(xy, CommonCRS.WGS84.normalizedGeographic(), null).getMathTransform();
    Integer code = epsgCode(crs);
    int epsg = code == null ? 0 : code;
    String name = epsg > 0 ? "EPSG:" + epsg : IdentifiedObjects.getName(crs, null);
    return new Georeferencing(affine, xy, name, epsg, wgs84);
  }

  /** The EPSG code the CRS carries, else the one the EPSG dataset finds for it (ignoring axis order), else null. */
  private static Integer epsgCode(CoordinateReferenceSystem crs) {
    for (var id : crs.getIdentifiers()) {
      if ("EPSG".equalsIgnoreCase(id.getCodeSpace())) {
        try {
          return Integer.valueOf(id.getCode());
        } catch (NumberFormatException e) {
          // not numeric: look it up below
        }
      }
    }
    try {
      Integer code = IdentifiedObjects.lookupEPSG(crs);
      if (code == null) {
        // GeoTIFF geographic CRSs are (longitude, latitude); EPSG's are (latitude, longitude).
        var finder = IdentifiedObjects.newFinder("EPSG");
        finder.setIgnoringAxes(true);
        var found = finder.findSingleton(crs);
        var id = found == null ? null : IdentifiedObjects.getIdentifier(found, null);
        code = id == null || !id.getCode().matches("\\d+") ? null : Integer.valueOf(id.getCode());
      }
      return code;
    } catch (FactoryException e) {
      return null; // no EPSG code: the CRS is named by its name
    }
  }

  /** Pixel corner (column, row) to native (x, y); a copy. */
  public AffineTransform gridToCrs() {
    return new AffineTransform(gridToCrs);
  }

  /** The CRS in (x, y) axis order. */
  public CoordinateReferenceSystem crs() {
    return crs;
  }

  /** "EPSG:32633", or the CRS's name when it has no EPSG code. */
  public String crsName() {
    return crsName;
  }

  /** The EPSG code, when the CRS has one. */
  public OptionalInt epsg() {
    return epsg > 0 ? OptionalInt.of(epsg) : OptionalInt.empty();
  }

  public boolean isGeographic() {
    return crs instanceof GeographicCRS;
  }

  /** Whether the grid has no rotation or shear (north up). */
  public boolean isNorthUp() {
    return gridToCrs.getShearX() == 0 && gridToCrs.getShearY() == 0;
  }

  /** Native (x, y) of pixel position (column, row); (0, 0) is the upper-left corner of the first pixel. */
  public double[] toCrs(double column, double row) {
    double[] p = {column, row};
    gridToCrs.transform(p, 0, p, 0, 1);
    return p;
  }

  /** WGS84 (longitude, latitude) in degrees of native (x, y). */
  public double[] toWgs84(double x, double y) throws TransformException {
    double[] p = {x, y};
    toWgs84.transform(p, 0, p, 0, 1);
    return p;
  }

  /**
   * The ground size of one pixel in metres, mean of the column and row steps: from the geotransform in the
   * projected CRS's linear unit, or geodesic distances at {@code (column, row)} for a geographic CRS.
   */
  public double pixelSizeMetres(double column, double row) throws TransformException {
    double dx = Math.hypot(gridToCrs.getScaleX(), gridToCrs.getShearY());
    double dy = Math.hypot(gridToCrs.getShearX(), gridToCrs.getScaleY());
    if (crs instanceof ProjectedCRS) {
      @SuppressWarnings("unchecked")
      Unit<Length> unit = (Unit<Length>) crs.getCoordinateSystem().getAxis(0).getUnit();
      var toMetres = unit.getConverterTo(Units.METRE);
      return (toMetres.convert(dx) + toMetres.convert(dy)) / 2;
    }
    double[] a = lonLat(column, row);
    double[] b = lonLat(column + 1, row);
    double[] c = lonLat(column, row + 1);
    return (geodesic(a, b) + geodesic(a, c)) / 2;
  }

  private double[] lonLat(double column, double row) throws TransformException {
    double[] p = toCrs(column, row);
    return toWgs84(p[0], p[1]);
  }

  private static double geodesic(double[] a, double[] b) {
    GeodeticCalculator calc = GeodeticCalculator.create(CommonCRS.WGS84.geographic());
    calc.setStartGeographicPoint(a[1], a[0]);
    calc.setEndGeographicPoint(b[1], b[0]);
    return calc.getGeodesicDistance();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s", crsName, gridToCrs);
  }
}
