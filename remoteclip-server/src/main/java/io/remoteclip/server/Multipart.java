package io.remoteclip.server;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal {@code multipart/form-data} parser (RFC 7578) for bodies already read into memory (the server
 * caps their size first): part name to bytes.
 */
final class Multipart {
  private Multipart() {}

  static Map<String, byte[]> parse(byte[] body, String contentType) throws HttpError {
    String boundary = boundary(contentType);
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Map<String, byte[]> parts = new HashMap<>();
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      throw new HttpError(400, "malformed multipart body: no boundary line");
    }
    while (true) {
      int start = pos + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        return parts;
      }
      start = skipCrlf(body, start);
      int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
      if (headerEnd < 0) {
        throw new HttpError(400, "malformed multipart body: part without headers");
      }
      String headers = new String(body, start, headerEnd - start, StandardCharsets.UTF_8);
      int dataStart = headerEnd + 4;
      int next = indexOf(body, delimiter, dataStart);
      if (next < 0) {
        throw new HttpError(400, "malformed multipart body: unterminated part");
      }
      int dataEnd = next >= 2 && body[next - 2] == '\r' && body[next - 1] == '\n' ? next - 2 : next;
      String name = dispositionName(headers);
      if (name != null) {
        byte[] data = new byte[Math.max(0, dataEnd - dataStart)];
        System.arraycopy(body, dataStart, data, 0, data.length);
        parts.putIfAbsent(name, data);
      }
      pos = next;
    }
  }

  private static String boundary(String contentType) throws HttpError {
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = p.substring("boundary=".length());
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        if (!b.isEmpty() && b.length() <= 200) {
          return b;
        }
      }
    }
    throw new HttpError(400, "multipart/form-data without a boundary");
  }

  private static String dispositionName(String headers) {
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
        for (String param : line.split(";")) {
          String p = param.trim();
          if (p.startsWith("name=")) {
            String v = p.substring(5);
            return v.length() >= 2 && v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
          }
        }
      }
    }
    return null;
  }

  private static int skipCrlf(byte[] b, int i) {
    return i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n' ? i + 2 : i;
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
