package io.remoteclip.onnx;

/** The device asked for cannot run here: this build or this machine has no such execution provider. */
public final class DeviceUnavailableException extends IllegalStateException {
  public DeviceUnavailableException(String message) {
    super(message);
  }
}
