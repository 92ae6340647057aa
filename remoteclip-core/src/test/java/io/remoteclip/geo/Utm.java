package io.remoteclip.geo;

/**
 * An independent inverse of WGS 84 / UTM for checking SIS: Krüger's series in n to sixth order (as in Karney,
 * "Transverse Mercator with an accuracy of a few nanometers", 2011, eqs. 11, 15, 19 and 36), accurate to well
 * under a millimetre within a zone.
 */
final class Utm {
  private static final double A = 6378137.0;
  private static final double F = 1 / 298.257223563;
  private static final double K0 = 0.9996;

  private Utm() {}

  /** (longitude, latitude) in degrees of (easting, northing) in UTM {@code zone}, northern or southern hemisphere. */
  static double[] toLonLat(int zone, boolean north, double easting, double northing) {
    double n = F / (2 - F);
    double n2 = n * n;
    double n3 = n2 * n;
    double n4 = n3 * n;
    double n5 = n4 * n;
    double n6 = n5 * n;
    double rectifying = A / (1 + n) * (1 + n2 / 4 + n4 / 64 + n6 / 256);
    double[] beta = {
      n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360 - 81 * n5 / 512 + 96199 * n6 / 604800,
      n2 / 48 + n3 / 15 - 437 * n4 / 1440 + 46 * n5 / 105 - 1118711 * n6 / 3870720,
      17 * n3 / 480 - 37 * n4 / 840 - 209 * n5 / 4480 + 5569 * n6 / 90720,
      4397 * n4 / 161280 - 11 * n5 / 504 - 830251 * n6 / 7257600,
      4583 * n5 / 161280 - 108847 * n6 / 3991680,
      20648693 * n6 / 638668800};
    double[] delta = {
      2 * n - 2 * n2 / 3 - 2 * n3 + 116 * n4 / 45 + 26 * n5 / 45 - 2854 * n6 / 675,
      7 * n2 / 3 - 8 * n3 / 5 - 227 * n4 / 45 + 2704 * n5 / 315 + 2323 * n6 / 945,
      56 * n3 / 15 - 136 * n4 / 35 - 1262 * n5 / 105 + 73814 * n6 / 2835,
      4279 * n4 / 630 - 332 * n5 / 35 - 399572 * n6 / 14175,
      4174 * n5 / 315 - 144838 * n6 / 6237,
      601676 * n6 / 22275};
    double xi = (northing - (north ? 0 : 10_000_000)) / (K0 * rectifying);
    double eta = (easting - 500_000) / (K0 * rectifying);
    double xiP = xi;
    double etaP = eta;
    for (int j = 1; j <= 6; j++) {
      xiP -= beta[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
      etaP -= beta[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
    }
    double chi = Math.asin(Math.sin(xiP) / Math.cosh(etaP));
    double lat = chi;
    for (int j = 1; j <= 6; j++) {
      lat += delta[j - 1] * Math.sin(2 * j * chi);
    }
    double lon0 = Math.toRadians(6 * zone - 183);
    double lon = lon0 + Math.atan2(Math.sinh(etaP), Math.cos(xiP));
    return new double[] {Math.toDegrees(lon), Math.toDegrees(lat)};
  }
}
