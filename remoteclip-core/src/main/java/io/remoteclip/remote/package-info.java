/**
 * Rasters where they live: {@link io.remoteclip.remote.RasterLocation} is a local path or an {@code http(s)://}
 * or {@code s3://} URI, opened as a seekable channel that reads remote objects by byte ranges (HTTP through
 * {@code java.net.http} with time-outs and retries; S3 through Apache SIS's {@code sis-cloud-aws}), with the
 * transfers counted in {@link io.remoteclip.remote.Transfers}. A leaf: bytes in, bytes out; it knows nothing of
 * images or scenes.
 */
package io.remoteclip.remote;
