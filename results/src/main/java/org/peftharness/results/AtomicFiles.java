package org.peftharness.results;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Writes a file so that a kill at any instant leaves either the old file or the whole new one:
 * temporary file in the same folder, fsync, atomic rename, fsync of the folder.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  /**
   * Deletes what killed writes left in {@code dir} and its subfolders down to {@code depth} (1: the
   * folder alone): their temporary files, named {@code .<target>…tmp}, of {@code target} or of any
   * file when it is null. Only call it where no other process can be writing there (the caller holds
   * the folder's lock, or the cell is finished and unclaimed).
   */
  public static void deleteLeftovers(Path dir, int depth, String target) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir, depth)) {
      for (Path p : s.filter(p -> isLeftover(p, target)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static boolean isLeftover(Path p, String target) {
    String name = p.getFileName().toString();
    // a claim's temporary file belongs to a process claiming right now; CellClaim clears old ones itself
    return name.endsWith(".tmp") && name.startsWith("." + (target == null ? "" : target))
        && !name.startsWith("." + CellClaim.FILE) && Files.isRegularFile(p);
  }

  /** Makes a rename durable; some file systems refuse to open a folder, which is harmless. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort: the data itself was already forced
    }
  }
}
