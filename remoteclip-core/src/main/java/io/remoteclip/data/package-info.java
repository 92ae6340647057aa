/**
 * Data scaling (SPEC §5): turning detection boxes and segmentation masks into image–caption training data.
 *
 * <p>{@code annotation} reads the formats into one model, {@code m2b} derives boxes from masks,
 * {@code caption} writes B2C captions, {@code tile} cuts large scenes, {@code dedup} removes near-duplicate
 * images, {@code build} assembles the output data set and {@code counting} builds counting benchmarks.
 * {@link io.remoteclip.data.RasterIo} is the only class that reads or writes image files.
 */
package io.remoteclip.data;
