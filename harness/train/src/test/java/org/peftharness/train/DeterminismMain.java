package org.peftharness.train;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.EncoderModel;
import org.tensorflow.Result;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A short full fine-tuning run of the embedded MiniLM (float32, dropout on) with a fresh
 * classification head; prints one line {@code RESULT <seed> <sha256 of all trained parameters>
 * <loss bits...>}. Run in separate JVMs by {@link DeterminismTest}.
 */
public final class DeterminismMain {
  private DeterminismMain() {}

  public static void main(String[] args) throws Exception {
    for (String a : args) {
      System.out.println(run(Long.parseLong(a), 20));
    }
  }

  static String run(long seed, int steps) throws Exception {
    try (PretrainedModel pm = PretrainedModel.open(PretrainedModel.MINILM);
        var g = (EncoderModel<TFloat32>) pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      var head = SequenceClassifier.attach(g, pm.weights(), 2, new SeedStreams(seed));
      Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
      g.parameters().forEach((k, p) -> vars.put(k, p.trainable()));
      vars.putAll(head.variables());
      // the data does not depend on the root seed: only the seeded streams change between seeds
      SplittableRandom data = new SplittableRandom(5);
      List<Batch> batches = new ArrayList<>();
      for (int b = 0; b < 5; b++) {
        List<int[]> seqs = new ArrayList<>();
        int[] labels = new int[4];
        for (int i = 0; i < 4; i++) {
          int[] s = new int[6 + data.nextInt(10)];
          s[0] = 101;
          for (int j = 1; j < s.length - 1; j++) {
            s[j] = 1000 + data.nextInt(20000);
          }
          s[s.length - 1] = 102;
          seqs.add(s);
          labels[i] = data.nextInt(2);
        }
        batches.add(head.batch(seqs, labels));
      }
      TrainConfig cfg = TrainConfig.defaults(5e-5).withSteps(steps).withSchedule(Schedule.Kind.LINEAR, 0, 0.1).withSeed(seed);
      Trainer<TFloat32> trainer = new Trainer<>(g, head.loss(), vars, cfg);
      TrainResult r = trainer.train(batches, TrainListener.NONE);
      if (!r.ok()) {
        throw new IllegalStateException(r.reason());
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Variable<TFloat32> v : vars.values()) {
        try (Result res = g.session().runner().fetch(v).run()) {
          TFloat32 t = (TFloat32) res.get(0);
          float[] f = new float[Math.toIntExact(t.shape().size())];
          t.copyTo(DataBuffers.of(f, false, false));
          ByteBuffer bb = ByteBuffer.allocate(4 * f.length);
          bb.asFloatBuffer().put(f);
          sha.update(bb.array());
        }
      }
      StringBuilder out = new StringBuilder("RESULT " + seed + " " + HexFormat.of().formatHex(sha.digest()));
      for (double l : r.losses()) {
        out.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(l)));
      }
      return out.toString();
    }
  }
}
