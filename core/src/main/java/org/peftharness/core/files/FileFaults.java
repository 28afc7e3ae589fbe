package org.peftharness.core.files;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * What the file system refused, in the user's words. A refused path (a read-only disk, a folder
 * without write permission, a file where a folder should be) is a fault of the environment the user
 * pointed the harness at, not a bug: the CLI reports it like bad input, naming the path.
 */
public final class FileFaults {
  private FileFaults() {}

  /** The first file-system refusal in {@code t}'s chain of causes, or null. */
  public static FileSystemException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FileSystemException f) {
        return f;
      }
    }
    return null;
  }

  /** {@code path: what is wrong}, e.g. {@code runs/x/results.csv: permission denied}. */
  public static String describe(FileSystemException e) {
    String where = e.getFile() == null ? "" : e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile()) + ": ";
    return where + problem(e);
  }

  /** What is wrong with the path, without the path. */
  public static String problem(FileSystemException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      // Files.createDirectories says this when a file stands where the folder should be
      return e.getFile() != null && Files.isRegularFile(Path.of(e.getFile())) ? "is a file, not a folder" : "exists already";
    }
    if (e instanceof NotDirectoryException) {
      return "is not a folder";
    }
    if (e instanceof NoSuchFileException) {
      return "does not exist (removed while the harness ran?)";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "is a folder that is not empty";
    }
    // the operating system's own words: "Read-only file system", "Not a directory", "No space left on device"
    return e.getReason() != null ? e.getReason() : "refused by the file system";
  }
}
