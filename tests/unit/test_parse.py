from newsprism.nlp.parse import Parse, Token


def _parse(text: str) -> Parse:
    tokens, pos = [], 0
    for i, word in enumerate(text.split()):
        start = text.index(word, pos)
        pos = start + len(word)
        tokens.append(Token(i, start, pos, word, word.lower(), "X", "X", "dep", i, "", 0))
    return Parse(text=text, tokens=tuple(tokens), sents=((0, len(tokens)),), ents=())


def test_tokens_between_uses_token_starts() -> None:
    parse = _parse("Peskov told reporters on Tuesday")
    assert [t.text for t in parse.tokens_between(0, 12)] == ["Peskov", "told"]
    assert [t.text for t in parse.tokens_between(8, 30)] == ["reporters", "on", "Tuesday"]
    assert parse.tokens_between(40, 50) == ()
    assert parse.first_token_from(7) == 1 and parse.first_token_from(99) == 5
    assert parse.token_at(8) == 1 and parse.token_at(6) is None
