package org.peftharness.core.files;

import java.nio.file.Files;
import java.nio.file.Path;
import org.peftharness.core.InvalidInputException;

/**
 * Checks a folder or file the user named for the harness to write, before any work is done, so that
 * a path that cannot be written is reported as {@code argument --out: ...} (exit 2) rather than as a
 * failure after the cells have run. The nearest existing folder on the path must be writable: the
 * operating system answers for permissions, read-only mounts and the superuser alike.
 */
public final class OutputLocations {
  private OutputLocations() {}

  /** A folder the harness will create if needed and write in. */
  public static void requireFolder(Path dir, String argument) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException(argument, 0, null, dir + " is a file, not a folder");
    }
    requireWritableAncestor(dir, dir, argument);
  }

  /** A file the harness will write (replacing it if it exists), its folder created if needed. */
  public static void requireFile(Path file, String argument) {
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(argument, 0, null, file + " is a folder, not a file");
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new InvalidInputException(argument, 0, null, file + " cannot be written (permission denied or a read-only file system)");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      requireWritableAncestor(file, parent, argument);
    }
  }

  private static void requireWritableAncestor(Path named, Path dir, String argument) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    if (!Files.isDirectory(existing)) {
      throw new InvalidInputException(argument, 0, null, named + ": " + existing + " is a file, not a folder");
    }
    if (!Files.isWritable(existing)) {
      throw new InvalidInputException(argument, 0, null, named + ": " + existing
          + " cannot be written (permission denied or a read-only file system)");
    }
  }
}
