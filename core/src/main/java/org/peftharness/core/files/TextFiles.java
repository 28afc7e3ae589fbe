package org.peftharness.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.peftharness.core.InvalidInputException;

/**
 * Reads a whole text file as strict UTF-8. Java's own readers say only {@code
 * MalformedInputException: Input length = 1} for a file that is not UTF-8; this says where: the
 * line and the byte offset of the first bad byte, so the user can find it in any editor.
 */
public final class TextFiles {
  private TextFiles() {}

  /** The file's text; a missing, unreadable or non-UTF-8 file is an {@link InvalidInputException} naming it. */
  public static String readUtf8(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, null, "file not found");
    } catch (FileSystemException e) {
      throw new InvalidInputException(file, null, "cannot read: " + FileFaults.problem(e));
    } catch (IOException e) {
      throw new InvalidInputException(file, null, "cannot read: " + e.getMessage());
    }
    return decode(file.toString(), bytes);
  }

  /** {@code bytes} as strict UTF-8; {@code source} names them in the error. */
  public static String decode(String source, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // UTF-8 never decodes to more chars than bytes
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new InvalidInputException(source, line, null,
          String.format("not UTF-8 at byte %d (0x%02x): save the file as UTF-8", at, bytes[at] & 0xff));
    }
    return out.flip().toString();
  }
}
