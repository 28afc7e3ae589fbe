package org.peftharness.cell;

import org.peftharness.model.PretrainedModel;

/**
 * The pretrained model of the last cell, kept open for the next cell of the same model: a grid's
 * cells mostly share one, so its checkpoint is parsed and its tokenizer loaded once per process,
 * not once per cell. Each cell still builds its own graph and fills it from these weights; nothing
 * a cell does changes the model.
 */
final class OpenModel implements AutoCloseable {
  private String path;
  private PretrainedModel model;

  /** The model at {@code path}, opened now unless it is the one held (which is closed when another is asked for). */
  synchronized PretrainedModel get(String path) {
    if (!path.equals(this.path)) {
      close();
      model = PretrainedModel.open(path);
      this.path = path;
    }
    return model;
  }

  @Override
  public synchronized void close() {
    if (model != null) {
      model.close();
    }
    model = null;
    path = null;
  }
}
