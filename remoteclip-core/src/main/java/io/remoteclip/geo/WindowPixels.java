package io.remoteclip.geo;

import java.awt.image.ColorModel;
import java.awt.image.Raster;

/**
 * The stored samples of one window, unconverted (any band count and sample type), with the scene's colour
 * model (palette, alpha) when it has one. The raster's origin is (0, 0).
 */
public record WindowPixels(Raster raster, ColorModel colors) {}
