package org.peftharness.grid;

/** What a running cell reports so the grid can show it. */
public interface CellProgress {
  /** A phase such as "loading model", "estimating gradients", "training", "evaluating". */
  void phase(String name, long totalSteps);

  /** One step of the current phase done; loss may be NaN where there is none. */
  void step(long done, double loss);

  CellProgress NONE = new CellProgress() {
    @Override
    public void phase(String name, long totalSteps) {}

    @Override
    public void step(long done, double loss) {}
  };
}
