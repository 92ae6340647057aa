package io.remoteclip.server;

/** A request the server refuses, with the HTTP status and the message sent as {@code {"error": ...}}. */
final class HttpError extends Exception {
  final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
