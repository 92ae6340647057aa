package io.remoteclip.geo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO input stream over a seekable channel, so the JDK's TIFF plugin reads only the tiles a region
 * touches from any channel (a remote object read by ranges included), not a cached copy of the whole stream.
 */
final class ChannelImageInput extends ImageInputStreamImpl {
  private final SeekableByteChannel channel;
  private final byte[] one = new byte[1];

  ChannelImageInput(SeekableByteChannel channel) {
    this.channel = channel;
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    checkClosed();
    bitOffset = 0;
    if (len == 0) {
      return 0;
    }
    if (streamPos >= channel.size()) {
      return -1;
    }
    channel.position(streamPos);
    int n = channel.read(ByteBuffer.wrap(b, off, len));
    if (n > 0) {
      streamPos += n;
    }
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

  @Override
  public void close() throws IOException {
    super.close();
    channel.close();
  }
}
