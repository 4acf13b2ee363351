"""Residue rules: each kind of boilerplate is removed with its reason; look-alike sentences stay."""

import pytest

from newsprism.clean import clean_text, residue_reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Share:", "share widget"),
        ("Share this article", "share widget"),
        ("Share on Facebook", "share widget"),
        ("Getty Images", "photo credit"),
        ("AFP via Getty Images", "photo credit"),
        ("Reuters", "photo credit"),
        ("Photo: Ana Ruiz / Meridian Wire", "photo caption/credit"),
        ("Емманюель Макрон (Фото: Benoit Tessier / EPA)", "photo caption/credit"),
        (
            "Foreign Minister Ilse Varga arrives in Tarn (Photo: J. Okafor / MW)",
            "photo caption/credit",
        ),
        ("President speaks at a rally in Paris / AFP", "photo caption/credit"),
        ("World news", "section label"),
        ("Advertisement", "section label"),
        ("Read more", "section label"),
        ("12,400", "stray number line"),
        ("63", "stray number line"),
    ],
)
def test_residue_lines(line: str, reason: str) -> None:
    assert residue_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell 3% on Tuesday after the announcement.",
        "Reuters reported that the talks had resumed.",
        "The photo showed the minister in Tarn.",
        "Getty Images sued the company over its use of photographs.",
        "World news rarely reaches the village, he said.",
        "63 people were injured in the blast.",
        "Print media have lost readers for years.",
        "Macron said the channels had been restored.",
    ],
)
def test_real_sentences_are_kept(line: str) -> None:
    assert residue_reason(line) is None


def test_share_counter_next_to_widget() -> None:
    cleaned = clean_text(
        "Title line\n\nBody sentence one is here.\n\n63\nShare:\n\nMore body text follows here."
    )
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons == {"63": "share counter", "Share:": "share widget"}


def test_embedded_post_is_lifted_out_with_author_handle_and_date() -> None:
    source = (
        "The minister spoke at length on Tuesday about the talks.\n\n"
        '🇫🇷 Macron declared that Europe "will be swept away".\n\n'
        '🗣️"People are desperate," he added. pic.twitter.com/ipkAwKXzw5 — The Review (@UkrReview) February 10, 2026\n\n'
        "Interestingly, the words matter a great deal to the debate."
    )
    cleaned = clean_text(source)
    (post,) = cleaned.posts
    assert post.author == "The Review" and post.handle == "UkrReview"
    assert post.date is not None and post.date.isoformat() == "2026-02-10"
    assert "Macron declared" in post.text and "People are desperate" in post.text
    kept = [source[p.span.start : p.span.end] for p in cleaned.paragraphs]
    assert kept[0].startswith("The minister") and kept[-1].startswith("Interestingly")
    assert all("pic.twitter" not in k and "Macron declared" not in k for k in kept)


def test_trailing_section_label_and_removal_spans_point_at_source() -> None:
    source = "Headline here\n\nFirst paragraph of the story.\n\nSecond paragraph of it.\n\nEurope"
    cleaned = clean_text(source)
    for r in cleaned.removed:
        assert source[r.span.start : r.span.end] == r.text
    assert [r.reason for r in cleaned.removed] == ["section label"]


def test_block_quote_and_dash_attribution_kinds() -> None:
    source = 'Intro sentence of the piece.\n\n"We will talk again soon."\n\n— Ilse Varga, Foreign Minister (Daily)'
    kinds = [p.kind for p in clean_text(source).paragraphs]
    assert kinds == ["body", "blockquote", "attribution"]


def test_cleaning_is_idempotent_on_kept_text() -> None:
    source = "Title\n\nShare:\n\n12\n\nA real sentence stays here.\n\nGetty Images\n\nAnother one stays too."
    first = clean_text(source)
    kept = "\n\n".join(source[p.span.start : p.span.end] for p in first.paragraphs)
    second = clean_text(kept)
    assert [kept[p.span.start : p.span.end] for p in second.paragraphs] == [
        source[p.span.start : p.span.end] for p in first.paragraphs
    ]
    assert second.removed == ()
