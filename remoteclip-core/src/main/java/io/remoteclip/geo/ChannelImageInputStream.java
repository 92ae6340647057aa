package io.remoteclip.geo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * A {@link SceneSource}'s channel as the JDK's TIFF plugin reads it: buffered, because the plugin's decoders also
 * read single bytes and each channel read may be a request to a remote store.
 */
final class ChannelImageInputStream extends ImageInputStreamImpl {
  private static final int BUFFER = 64 * 1024;

  private final SeekableByteChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  /** Stream position of {@code buffer}'s first byte; the buffer holds bytes [0, limit). */
  private long bufferStart;

  ChannelImageInputStream(SeekableByteChannel channel) {
    this.channel = channel;
    buffer.limit(0);
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    bitOffset = 0;
    return buffer.get((int) (streamPos++ - bufferStart)) & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    bitOffset = 0;
    int at = (int) (streamPos - bufferStart);
    int n = Math.min(len, buffer.limit() - at);
    buffer.get(at, b, off, n);
    streamPos += n;
    return n;
  }

  @Override
  public long length() {
    try {
      return channel.size();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Makes the buffer hold the byte at {@code streamPos}; false at the end of the data. */
  private boolean fill() throws IOException {
    checkClosed();
    if (streamPos >= bufferStart && streamPos < bufferStart + buffer.limit()) {
      return true;
    }
    buffer.clear();
    channel.position(streamPos);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        break;
      }
    }
    buffer.flip();
    bufferStart = streamPos;
    return buffer.hasRemaining();
  }

  @Override
  public void close() throws IOException {
    super.close();
    channel.close();
  }
}
