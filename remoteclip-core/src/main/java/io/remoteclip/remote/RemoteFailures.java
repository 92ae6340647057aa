package io.remoteclip.remote;

import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Finds the remote cause of a failure that came back wrapped (SIS wraps what a channel throws in its own
 * exceptions): this package's exceptions as they are, and the AWS SDK's turned into them, each with one line
 * naming the URI and the status.
 */
public final class RemoteFailures {
  private RemoteFailures() {}

  /** The remote failure inside {@code failure}, if any. */
  public static Optional<IOException> find(RasterLocation location, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RemoteIOException || t instanceof RemoteNotFoundException) {
        return Optional.of((IOException) t);
      }
      if (t instanceof AwsServiceException s) {
        int status = s.statusCode();
        String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
        String what = "S3 status " + status + (code == null ? "" : " (" + code + ")");
        if (status == 404) {
          return Optional.of(new RemoteNotFoundException(location.name() + ": " + what));
        }
        return Optional.of(new RemoteIOException(location.name() + ": " + what, s));
      }
      if (t instanceof SdkClientException c) {
        return Optional.of(new RemoteIOException(location.name() + ": " + S3Objects.firstLine(c), c));
      }
    }
    return Optional.empty();
  }
}
