package org.peftharness.submit;

import java.nio.file.Path;
import org.peftharness.core.InvalidInputException;

/**
 * The folder {@code harness submit} ran in, as a pod sees it: a persistent volume claim mounted at
 * {@code mountPath}. The pod's working directory is the mount, so a path inside the folder is
 * written relative to it and means the same file in both places; a path outside it does not exist
 * in the pod at all.
 */
record MountedFolder(Path workdir, String mountPath, String claim) {
  MountedFolder {
    workdir = workdir.toAbsolutePath().normalize();
  }

  /** {@code path} relative to the folder ({@code .} for the folder itself), or an error naming {@code option}. */
  String relative(Path path, String option) {
    Path p = path.toAbsolutePath().normalize();
    if (!p.startsWith(workdir)) {
      throw new InvalidInputException("argument " + option, 0, null, path + " is outside " + workdir
          + ": the pod sees only the volume claim " + claim + " mounted at " + mountPath
          + ", which stands for the current folder; keep the grid, data, models and results under it,"
          + " or run 'harness submit' from a folder that holds them all");
    }
    String rel = workdir.relativize(p).toString();
    return rel.isEmpty() ? "." : rel;
  }
}
