"""`watch --alert`: which new articles match a rule, and handing each match to a command or a
webhook. Matching is pure; delivery never raises (a failure is returned, logged by the CLI, and
the watch goes on).

Rules: `actor=NAME` (a canonical actor mentioned in the article: "Kremlin" means Russia),
`outlet=NAME` (the article's outlet, case-insensitive), `story=ID` (the article joined that
story; a unique prefix works), `keyword=WORD` (a whole word or phrase in the title or text,
case-insensitive).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from dataclasses import dataclass
from typing import Any, Literal

from newsprism.errors import ConfigError
from newsprism.models import ArticleAnalysis

AlertKind = Literal["actor", "outlet", "story", "keyword"]
KINDS: tuple[AlertKind, ...] = ("actor", "outlet", "story", "keyword")
EXEC_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertRule:
    kind: AlertKind
    value: str

    @property
    def text(self) -> str:
        return f"{self.kind}={self.value}"


def parse_rule(text: str) -> AlertRule:
    """'actor=Russia' -> AlertRule; raises ConfigError on anything else."""
    kind, sep, value = text.partition("=")
    kind = kind.strip().lower()
    if not sep or not value.strip() or kind not in KINDS:
        raise ConfigError(
            f"--alert {text!r} is not KIND=VALUE with KIND one of {', '.join(KINDS)} "
            "(e.g. --alert actor=Russia)"
        )
    return AlertRule(kind=kind, value=" ".join(value.split()))


def matches(rule: AlertRule, analysis: ArticleAnalysis, story_id: str | None) -> bool:
    """Does the article (its analysis, and the story it joined) match the rule?"""
    article = analysis.article
    wanted = rule.value.casefold()
    if rule.kind == "actor":
        names = {m.actor_name.casefold() for m in analysis.mentions}
        names.update(a.name.casefold() for a in analysis.actors)
        return wanted in names
    if rule.kind == "outlet":
        return article.label.casefold() == wanted
    if rule.kind == "story":
        return story_id is not None and story_id.startswith(rule.value)
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in rule.value.split()) + r"(?!\w)"
    return re.search(pattern, f"{article.title or ''}\n{article.text}", re.IGNORECASE) is not None


def payload(rule: AlertRule, analysis: ArticleAnalysis, story_id: str | None) -> dict[str, Any]:
    """What a command (on stdin) or a webhook (as the body) receives: one JSON object."""
    article = analysis.article
    return {
        "alert": rule.text,
        "story_id": story_id,
        "article": {
            "id": article.id,
            "title": article.title,
            "outlet": article.label,
            "url": article.url,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
        },
    }


def run_command(command: str, data: dict[str, Any], *, timeout: float = EXEC_TIMEOUT) -> str | None:
    """Run `command` (no shell) with the alert as JSON on stdin; why it failed, or None."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        return f"cannot parse the command {command!r}: {exc}"
    if not argv:
        return "the command is empty"
    try:
        done = subprocess.run(
            argv,
            input=json.dumps(data, ensure_ascii=False),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return f"no such command: {argv[0]}"
    except subprocess.TimeoutExpired:
        return f"{argv[0]} did not finish within {timeout:g} s"
    except OSError as exc:
        return f"cannot run {argv[0]}: {exc.strerror or exc}"
    if done.returncode != 0:
        tail = " ".join(done.stderr.split())[-200:]
        return f"{argv[0]} exited with {done.returncode}" + (f": {tail}" if tail else "")
    return None
