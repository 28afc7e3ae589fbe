package org.peftharness.tasks.read;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.peftharness.core.InvalidInputException;

/**
 * Reads a text file line by line as strict UTF-8 (a byte sequence that is not UTF-8 is an error,
 * not a replacement character), with a cap on the line length, and knows the current 1-based line
 * number for error messages. Lines end at {@code \n} or {@code \r\n}: files saved on Windows or
 * exported by spreadsheet tools end their lines with CRLF, and a kept {@code \r} would cling to the
 * last field of every row (a TSV header's last column name, a label) and fail far from its cause.
 */
public final class LineReader implements Closeable {
  private final Path file;
  private final InputStream in;
  private final CharsetDecoder decoder;
  private byte[] buf = new byte[256];
  private final int maxChars;
  private int lineNumber;
  private boolean eof;

  public LineReader(Path file) {
    this(file, Limits.MAX_LINE_CHARS);
  }

  public LineReader(Path file, int maxChars) {
    this.file = file;
    this.maxChars = maxChars;
    checkSize(file);
    this.decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, 0, null, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  static void checkSize(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException(file, 0, null, "file not found (or not a regular file)");
      }
      long size = Files.size(file);
      if (size > Limits.MAX_FILE_BYTES) {
        throw new InvalidInputException(
            file, 0, null, "file is " + size + " bytes, more than the cap of " + Limits.MAX_FILE_BYTES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + file, e);
    }
  }

  /**
   * The next line without its terminator, or null at the end of the file. Bytes are split at
   * {@code \n} first and decoded per line (0x0A never occurs inside a UTF-8 sequence), so a
   * decoding error is reported on its own line.
   */
  public String next() {
    if (eof) {
      return null;
    }
    int len = 0;
    int lineNo = lineNumber + 1;
    try {
      while (true) {
        int b = in.read();
        if (b < 0) {
          eof = true;
          if (len == 0) {
            return null; // the file ended with a newline (or is empty): no further line
          }
          break;
        }
        if (b == '\n') {
          if (len > 0 && buf[len - 1] == '\r') {
            len--;
          }
          break;
        }
        // a UTF-8 character takes at most 4 bytes, so this cap is at least maxChars characters
        if (len >= 4L * maxChars) {
          throw new InvalidInputException(
              file, lineNo, null, "line is longer than " + maxChars + " characters (wrong file or format?)");
        }
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = (byte) b;
      }
      String line = decoder.reset().decode(ByteBuffer.wrap(buf, 0, len)).toString();
      if (line.length() > maxChars) {
        throw new InvalidInputException(
            file, lineNo, null, "line is longer than " + maxChars + " characters (wrong file or format?)");
      }
      lineNumber = lineNo;
      return line;
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(file.toString(), lineNo, null, "file is not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** 1-based number of the line last returned by {@link #next()}. */
  public int lineNumber() {
    return lineNumber;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
