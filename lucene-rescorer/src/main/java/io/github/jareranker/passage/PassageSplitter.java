package io.github.jareranker.passage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts documents into passages that fit the model: windows of whole sentences ({@link
 * SentenceSplitter}) whose tokens, measured with the model's own tokenizer, stay within a budget;
 * consecutive windows share {@link PassageOptions#overlapSentences()} whole sentences; a sentence
 * longer than the budget is cut at the budget (its pieces are sentences of their own); a heading at
 * the end of a window moves to the next one, so it stays with the text it introduces. With a title,
 * every passage is {@code title + separator + body part} and the budget covers all of it; a title
 * longer than half the budget is cut to half.
 *
 * <p>Every passage's final text is measured once more and cut at the budget if joining sentences
 * made it longer than the sum of their parts, so a passage never exceeds the budget and the model
 * reads all of it. The measurements of all documents go to the meter together (one call per step,
 * not per document). Stateless apart from the meter; thread-safe if the meter is.
 */
public final class PassageSplitter {
    private final TokenMeter meter;

    public PassageSplitter(TokenMeter meter) {
        this.meter = Objects.requireNonNull(meter, "meter");
    }

    /**
     * A document cut into passages.
     *
     * @param passages all passages, in document order (at least one; the only passage of a document
     *     without text is the empty text or the title alone)
     * @param body the body that was split: the document's body, cut to {@link
     *     PassageOptions#maxDocumentChars()}
     * @param originalChars the body's length before the cut
     */
    public record SplitDocument(List<Passage> passages, String body, int originalChars) {
        /** Whether the body was longer than the character cap (its end was not read). */
        public boolean cut() {
            return originalChars > body.length();
        }
    }

    /**
     * @param docs the documents
     * @param budget tokens a passage may have (title, separator and body part together; the query and
     *     the special tokens are already taken off), at least 2
     * @param separator put between the title and the body part
     * @param options character cap, overlap, title handling
     * @param maxWindows the most passages built per document (1 for FirstP: only the first is needed)
     * @return one split document per input document, in order
     */
    public List<SplitDocument> split(
            List<DocumentText> docs, int budget, String separator, PassageOptions options, int maxWindows) {
        if (budget < 2) {
            throw new IllegalArgumentException("budget must be at least 2 tokens, got " + budget);
        }
        int n = docs.size();
        String[] bodies = new String[n];
        String[] prefixes = new String[n];
        List<String> toMeasure = new ArrayList<>();
        List<List<TextSpan>> sentences = new ArrayList<>(n);
        for (int d = 0; d < n; d++) {
            String body = docs.get(d).body();
            bodies[d] = body.length() > options.maxDocumentChars() ? cutAt(body, options.maxDocumentChars()) : body;
            boolean titled = options.prependTitle() && !docs.get(d).title().isEmpty();
            prefixes[d] = titled ? docs.get(d).title() : "";
            toMeasure.add(prefixes[d]);
            List<TextSpan> s = SentenceSplitter.split(bodies[d]);
            sentences.add(s);
            for (TextSpan span : s) {
                toMeasure.add(span.of(bodies[d]));
            }
        }
        int[][] measured = meter.tokenEnds(toMeasure);

        List<SplitDocument> out = new ArrayList<>(n);
        List<List<TextSpan>> windowsPerDoc = new ArrayList<>(n);
        int k = 0;
        for (int d = 0; d < n; d++) {
            int[] titleEnds = measured[k++];
            if (!prefixes[d].isEmpty()) {
                int half = budget / 2;
                String title = titleEnds.length > half ? prefixes[d].substring(0, titleEnds[half - 1]) : prefixes[d];
                prefixes[d] = title.isEmpty() ? "" : title + separator;
            }
            int prefixTokens = prefixes[d].isEmpty() ? 0 : Math.min(titleEnds.length, budget / 2) + 1;
            int bodyBudget = Math.max(1, budget - prefixTokens);
            List<Unit> units = new ArrayList<>();
            for (TextSpan sentence : sentences.get(d)) {
                addUnits(bodies[d], sentence, measured[k++], bodyBudget, units);
            }
            windowsPerDoc.add(pack(units, bodyBudget, options.overlapSentences(), maxWindows));
        }

        // Joining sentences can tokenize differently from the parts: measure each passage as the model
        // will read it and cut the rare one that came out over the budget.
        List<String> texts = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            for (TextSpan w : windowsPerDoc.get(d)) {
                texts.add(prefixes[d] + w.of(bodies[d]));
            }
        }
        int[][] exact = texts.isEmpty() ? new int[0][] : meter.tokenEnds(texts);
        int t = 0;
        for (int d = 0; d < n; d++) {
            List<Passage> passages = new ArrayList<>();
            for (TextSpan w : windowsPerDoc.get(d)) {
                int[] ends = exact[t++];
                TextSpan span = w;
                if (ends.length > budget) {
                    int end = Math.max(w.start() + 1, w.start() + ends[budget - 1] - prefixes[d].length());
                    span = new TextSpan(w.start(), Math.min(end, w.end()));
                }
                passages.add(new Passage(passages.size(), span, prefixes[d] + span.of(bodies[d])));
            }
            if (passages.isEmpty()) { // no body text: the title alone, or the empty text
                String title = prefixes[d].isEmpty()
                        ? ""
                        : prefixes[d].substring(0, prefixes[d].length() - separator.length());
                passages.add(new Passage(0, new TextSpan(0, 0), title));
            }
            out.add(new SplitDocument(
                    List.copyOf(passages), bodies[d], docs.get(d).body().length()));
        }
        return out;
    }

    /** A sentence, or a piece of a long one: the unit of packing. */
    private record Unit(TextSpan span, int tokens, boolean heading) {}

    /** Adds the sentence as one unit, or as pieces of at most {@code budget} tokens when it is longer. */
    private void addUnits(String body, TextSpan sentence, int[] ends, int budget, List<Unit> units) {
        boolean heading = SentenceSplitter.isHeading(body, sentence);
        int from = sentence.start();
        int[] e = ends;
        while (e.length > budget) {
            int cut = Math.max(from + 1, from + e[budget - 1]);
            if (cut >= sentence.end()) {
                break;
            }
            units.add(new Unit(new TextSpan(from, cut), budget, false));
            from = cut;
            while (from < sentence.end() && Character.isWhitespace(body.charAt(from))) {
                from++;
            }
            // The rest is measured again: the meter may report only the first tokens of a long text.
            e = meter.tokenEnds(List.of(body.substring(from, sentence.end())))[0];
        }
        if (from < sentence.end()) {
            units.add(new Unit(new TextSpan(from, sentence.end()), e.length, heading));
        }
    }

    /**
     * Greedy windows of whole units up to {@code budget} tokens (a unit alone may fill one), each
     * next window starting {@code overlap} units before the previous one's end, always moving forward.
     */
    private static List<TextSpan> pack(List<Unit> units, int budget, int overlap, int maxWindows) {
        List<TextSpan> windows = new ArrayList<>();
        int i = 0;
        while (i < units.size() && windows.size() < maxWindows) {
            int j = i;
            int sum = 0;
            while (j < units.size() && (j == i || sum + units.get(j).tokens() <= budget)) {
                sum += units.get(j).tokens();
                j++;
            }
            if (j - i > 1 && j < units.size() && units.get(j - 1).heading()) {
                j--; // a heading opens the next window instead of closing this one
            }
            windows.add(new TextSpan(
                    units.get(i).span().start(), units.get(j - 1).span().end()));
            if (j >= units.size()) {
                break;
            }
            i = Math.max(i + 1, j - overlap);
        }
        return windows;
    }

    /** {@code text} cut to {@code chars} UTF-16 units without splitting a surrogate pair. */
    private static String cutAt(String text, int chars) {
        int end = chars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
