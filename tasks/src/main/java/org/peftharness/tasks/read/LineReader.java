package org.peftharness.tasks.read;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.peftharness.core.InvalidInputException;

/**
 * Reads a text file line by line as strict UTF-8 (a byte sequence that is not UTF-8 is an error,
 * not a replacement character), with a cap on the line length, and knows the current 1-based line
 * number for error messages. Lines end at {@code \n}; a {@code \r} before it is kept, because none
 * of the supported formats uses CRLF and silently dropping it would hide a converted file.
 */
public final class LineReader implements Closeable {
  private final Path file;
  private final BufferedReader in;
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
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      this.in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16);
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

  /** The next line without its terminator, or null at the end of the file. */
  public String next() {
    if (eof) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    int lineNo = lineNumber + 1;
    try {
      while (true) {
        int c = in.read();
        if (c < 0) {
          eof = true;
          if (sb.length() == 0) {
            return null; // the file ended with a newline (or is empty): no further line
          }
          break;
        }
        if (c == '\n') {
          break;
        }
        if (sb.length() >= maxChars) {
          throw new InvalidInputException(
              file, lineNo, null, "line is longer than " + maxChars + " characters (wrong file or format?)");
        }
        sb.append((char) c);
      }
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(file.toString(), lineNo, null, "file is not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    lineNumber = lineNo;
    return sb.toString();
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
