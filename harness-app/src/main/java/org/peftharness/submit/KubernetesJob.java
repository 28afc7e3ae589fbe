package org.peftharness.submit;

import java.nio.file.Path;

/** Placeholder: the Indexed Job manifest for a submission (being written). */
public final class KubernetesJob {
  /** What the user asked of Kubernetes; null fields are left out of the manifest. */
  public record Options(String image, String namespace, int gpusPerCell, Integer parallelism, Integer cpusPerCell,
      String memory, String pvc, String mountPath, int retriesPerCell) {}

  private KubernetesJob() {}

  public static String render(Submission s, Options o, Path workdir) {
    throw new UnsupportedOperationException("not yet");
  }
}
