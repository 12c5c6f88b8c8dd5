package io.github.jareranker.passage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
    private static List<String> sentences(String text) {
        return SentenceSplitter.split(text).stream().map(s -> s.of(text)).toList();
    }

    @Test
    void japanesePunctuationEndsSentencesWithTheirClosingBrackets() {
        assertThat(sentences("送料は無料です。返品できますか？はい！「本当ですか？」と聞かれた。（注意。）最後"))
                .containsExactly("送料は無料です。", "返品できますか？", "はい！", "「本当ですか？」", "と聞かれた。", "（注意。）", "最後");
    }

    @Test
    void runsOfSentenceEndsStayTogether() {
        assertThat(sentences("えっ！？本当……。そうか")).containsExactly("えっ！？", "本当……。", "そうか");
    }

    @Test
    void lineBreaksEndSentencesAndBlankLinesVanish() {
        assertThat(sentences("■お知らせ\r\n\n  本文です。続き\n・項目一\n")).containsExactly("■お知らせ", "本文です。", "続き", "・項目一");
    }

    @Test
    void mixedScriptsCutAtLatinFullStopsButNotInsideNumbersOrHosts() {
        assertThat(sentences("Version 3.5 is out. See example.com for details. 日本語の文。English again"))
                .containsExactly("Version 3.5 is out.", "See example.com for details.", "日本語の文。", "English again");
    }

    @Test
    void textWithoutSentenceEndsIsOneSentenceAndEmptyTextNone() {
        assertThat(sentences("句読点のない長い文章がずっと続いていく")).containsExactly("句読点のない長い文章がずっと続いていく");
        assertThat(SentenceSplitter.split("")).isEmpty();
        assertThat(SentenceSplitter.split(" \n\u3000 ")).isEmpty();
        assertThat(SentenceSplitter.split(null)).isEmpty();
    }

    @Test
    void spansPointIntoTheText() {
        String text = "  一文目。\u3000二文目。";
        assertThat(SentenceSplitter.split(text)).containsExactly(new TextSpan(2, 6), new TextSpan(7, 11));
    }

    @Test
    void headingsAreShortOwnLinesWithoutSentenceEnds() {
        String text = "【お知らせ】\n本文はここにあります。\n短い行\n文の途中で終わる行ですが、こちらは三十文字を超えるほど長い一行の文章です\n# 見出し";
        List<TextSpan> s = SentenceSplitter.split(text);
        assertThat(s.stream()
                        .map(span -> SentenceSplitter.isHeading(text, span))
                        .toList())
                .containsExactly(true, false, true, false, true);
    }
}
