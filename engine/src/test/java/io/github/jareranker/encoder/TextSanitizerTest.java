package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextSanitizerTest {

    @Test
    void keepsValidTextUntouched() {
        String text = "東京の天気 😀 abc";
        assertThat(TextSanitizer.sanitize(text, 1000)).isSameAs(text);
    }

    @Test
    void replacesLoneSurrogates() {
        assertThat(TextSanitizer.sanitize("a\uD800b", 100)).isEqualTo("a\uFFFDb");
        assertThat(TextSanitizer.sanitize("a\uDC00b", 100)).isEqualTo("a\uFFFDb");
        assertThat(TextSanitizer.sanitize("\uD83D\uDE00\uD800", 100)).isEqualTo("\uD83D\uDE00\uFFFD");
        assertThat(TextSanitizer.sanitize("\uDE00\uD83D", 100)).isEqualTo("\uFFFD\uFFFD");
    }

    @Test
    void cutsWithoutSplittingASurrogatePair() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        assertThat(TextSanitizer.sanitize("ab" + emoji + "cd", 3)).isEqualTo("ab");
        assertThat(TextSanitizer.sanitize("ab" + emoji + "cd", 4)).isEqualTo("ab" + emoji);
        assertThat(TextSanitizer.sanitize("abcdef", 3)).isEqualTo("abc");
    }

    @Test
    void nullIsEmpty() {
        assertThat(TextSanitizer.sanitize(null, 10)).isEmpty();
    }
}
