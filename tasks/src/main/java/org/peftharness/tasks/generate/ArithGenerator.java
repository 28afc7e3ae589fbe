package org.peftharness.tasks.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One-step arithmetic in the GSM8K JSONL layout, short enough for a tiny character-level decoder:
 * {@code {"question": "What is 3 + 4?", "answer": "3 + 4 = 7\n#### 7"}}. Operands 0..49;
 * subtraction keeps the result non-negative; multiplication uses operands up to 12.
 */
public final class ArithGenerator implements DataGenerator {
  public static final String NAME = "arith";
  private static final ObjectMapper JSON = new ObjectMapper();

  record Item(String question, String answer) {}

  @Override
  public GeneratedSplits generate(long seed, int trainSize, int evalSize) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Item> items = Unique.draw(trainSize + evalSize, rng, (r, n) -> problem(r), Item::question);
    return new GeneratedSplits(jsonl(items.subList(0, trainSize)), jsonl(items.subList(trainSize, items.size())));
  }

  private static Item problem(SplittableRandom r) {
    int op = r.nextInt(3);
    int a;
    int b;
    int c;
    String sym;
    if (op == 2) {
      a = r.nextInt(13);
      b = r.nextInt(13);
      c = a * b;
      sym = "*";
    } else {
      a = r.nextInt(50);
      b = r.nextInt(50);
      if (op == 1 && b > a) {
        int t = a;
        a = b;
        b = t;
      }
      c = op == 0 ? a + b : a - b;
      sym = op == 0 ? "+" : "-";
    }
    String expr = a + " " + sym + " " + b;
    return new Item("What is " + expr + "?", expr + " = " + c + "\n#### " + c);
  }

  private static byte[] jsonl(List<Item> items) {
    StringBuilder sb = new StringBuilder();
    for (Item it : items) {
      ObjectNode o = JSON.createObjectNode();
      o.put("question", it.question());
      o.put("answer", it.answer());
      try {
        sb.append(JSON.writeValueAsString(o)).append('\n');
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
