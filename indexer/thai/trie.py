"""The segmentation dictionary in a third of the memory of pythainlp's Trie.

pythainlp's Trie keeps an object and a dict per character of every word: its 62,000
words take 63 MB, in every site worker and every build process. Here one dict holds
every prefix of every word, True for a word and False for a prefix only (235,000
keys, 26 MB). newmm asks a dictionary only `prefixes(text, start)`, `in`, and to
iterate, so this subclass answers those the same way (the same tokens on every shipped
asset, tested) and is accepted wherever pythainlp expects a Trie. Segmenting is
about 10 % slower (a slice per character instead of a child lookup), measured on the
shipped assets: 0.36 against 0.32 s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pythainlp.util import Trie


class CompactTrie(Trie):
    """A pythainlp Trie stored as one dict of prefixes."""

    def __init__(self, words: Iterable[str]) -> None:  # pythainlp's nodes are never built
        self._flags: dict[str, bool] = {}
        self._word_count = 0
        for word in words:
            self.add(word)

    def add(self, word: str) -> None:
        word = word.strip()
        if not word:
            return
        flags = self._flags
        for end in range(1, len(word)):
            flags.setdefault(word[:end], False)
        if not flags.get(word):
            flags[word] = True
            self._word_count += 1

    def remove(self, word: str) -> None:
        if self._flags.get(word):
            self._flags[word] = False  # still a prefix of longer words, or of nothing: harmless
            self._word_count -= 1

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        """Words of the dictionary that `text` has at `start`, shortest first."""
        found = []
        flags = self._flags
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            flag = flags.get(piece)
            if flag is None:
                break
            if flag:
                found.append(piece)
        return found

    def __contains__(self, key: object) -> bool:
        return self._flags.get(key) is True  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return (word for word, is_word in self._flags.items() if is_word)

    def __len__(self) -> int:
        return self._word_count
