"""Citation keys: ``{firstauthorfamily}{year}{firsttitleword}``, and stable forever.

``output/keys.json`` maps every key ever published to the identifiers its work has had
(work id, arXiv id, DOI, IEEE number, normalized title). A work whose id changes
(``title:…`` → ``arxiv:…`` → ``doi:…``) is found again by any of them and keeps its key;
keys are never deleted, so a key is never handed to another work either.

One exception, made on purpose: a key first made from a list's own text (an unverified
record) is *provisional*. Lists often give no authors or a wrong year, and a key such as
``anon2017can`` frozen forever would be worse than useless. When its work is first verified
by a service, a provisional key that does not fit the verified metadata is replaced once
(the old key is kept in the map as ``replaced_by``, never reused); from then on the key is
frozen. Unverified entries say so in their ``note``.

A key whose work no list holds any more is marked ``removed``: its entry leaves the outputs,
but the key keeps its identifiers, so it is never given to another work and the same work
(same work id, arXiv id, DOI, IEEE number or title) gets it back if a list takes it again.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline import translit
from pipeline.emit.records import Record
from pipeline.ids.titles import key_title
from pipeline.text import ascii_fold

_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "at", "by"}
_STRONG = ("work:", "arxiv:", "doi:", "ieee:")
_UNREAD = "untitled"
"""What keys made before CJK titles were read have for a title word (provisional ones are
read again: :meth:`KeyMap._reread`)."""
_NO_TITLE = {"dataset": "dataset", "project": "software"}
"""The key's word for a title with no letter in it at all (by kind; else ``paper``)."""


def identifiers(record: Record, extra: Iterable[str] = ()) -> set[str]:
    """Everything that names this work. ``work:`` wraps the pipeline's own id."""
    found = {f"work:{record.work_id}"} if record.work_id else set()
    if record.arxiv:
        found.add(f"arxiv:{record.arxiv}")
    if record.doi:
        found.add(f"doi:{record.doi}")
    title = key_title(record.title)
    if len(title) >= 12:  # "Introduction" alone is too weak to name a work
        found.add(f"title:{title}")
    found.update(extra)
    return found


def work_identifiers(work_id: str, ids: Any, preprint_of: str | None) -> set[str]:
    """Identifiers the pipeline's Work record adds (its IEEE number, what it is a preprint of)."""
    found: set[str] = set()
    if getattr(ids, "ieee", None):
        found.add(f"ieee:{ids.ieee}")
    if getattr(ids, "arxiv", None):
        found.add(f"arxiv:{ids.arxiv}")
    if getattr(ids, "doi", None):
        found.add(f"doi:{str(ids.doi).lower()}")
    if preprint_of:  # the arXiv id a published record replaced (resolve's Found)
        found.add(preprint_of if ":" in preprint_of else f"arxiv:{preprint_of}")
    return found


def base_key(record: Record) -> str:
    """The key a new work would get before collision suffixes: ``liu2023remoteclip``."""
    family = ""
    if record.authors:
        first = record.authors[0]
        name = first.family or first.literal or first.given
        if translit.has_cjk(name):
            name = translit.family_name(name, whole=bool(first.family))
        family = ascii_fold(name)[:20]
    year = str(record.year) if record.year else "nd"
    # CJK titles are read in pinyin / romaji (Better BibTeX's rule), never "untitled"
    words = [ascii_fold(w) for w in translit.key_words(record.title)]
    word = next((w for w in words if w and w not in _STOPWORDS), "")
    word = word or next((w for w in words if w), "") or _NO_TITLE.get(record.kind, "paper")
    return f"{family or 'anon'}{year}{word[:20]}"


def _suffixes() -> Iterator[str]:
    for size in itertools.count(1):
        for letters in itertools.product(string.ascii_lowercase, repeat=size):
            yield "".join(letters)


@dataclass
class KeyMap:
    """The persistent key → identifiers map (``output/keys.json``)."""

    entries: dict[str, set[str]] = field(default_factory=dict)
    provisional: set[str] = field(default_factory=set)
    """Keys made from unverified list text; replaced once if verification contradicts them."""
    replaced: dict[str, str] = field(default_factory=dict)
    """Provisional keys that were replaced → their successor (never reused)."""
    merged: dict[str, str] = field(default_factory=dict)
    """Keys of works found to be one paper with another → the surviving key (an alias in
    the surviving entry's biblatex ``ids``)."""
    removed: set[str] = field(default_factory=set)
    """Keys whose work no list holds any more (no entry in the outputs; kept for its return)."""
    first_seen: dict[str, str] = field(default_factory=dict)
    """Key → ISO date of the run that first recorded it (:meth:`stamp`). Dates are recorded
    since issue 24: a key older than that has the date of the first run that recorded dates."""

    @classmethod
    def from_json(cls, data: Any) -> KeyMap:
        keymap = cls()
        keys = data.get("keys") if isinstance(data, dict) else None
        for key, value in (keys or {}).items():
            value = value if isinstance(value, dict) else {}
            keymap.entries[str(key)] = {str(x) for x in value.get("identifiers") or []}
            if value.get("provisional") is True:
                keymap.provisional.add(str(key))
            if isinstance(value.get("replaced_by"), str):
                keymap.replaced[str(key)] = value["replaced_by"]
            if isinstance(value.get("merged_into"), str):
                keymap.merged[str(key)] = value["merged_into"]
            if value.get("removed") is True:
                keymap.removed.add(str(key))
            if isinstance(value.get("first_seen"), str):
                keymap.first_seen[str(key)] = value["first_seen"]
        return keymap

    def to_json(self) -> dict[str, Any]:
        keys: dict[str, Any] = {}
        for key, ids in sorted(self.entries.items()):
            item: dict[str, Any] = {"identifiers": sorted(ids)}
            if key in self.provisional:
                item["provisional"] = True
            if key in self.replaced:
                item["replaced_by"] = self.replaced[key]
            if key in self.merged:
                item["merged_into"] = self.merged[key]
            if key in self.removed:
                item["removed"] = True
            if key in self.first_seen:
                item["first_seen"] = self.first_seen[key]
            keys[key] = item
        return {
            "about": "Citation key → every identifier its work has had; keys are never reused. "
            "A provisional key (from unverified list text) may be replaced once, when its "
            "work is first verified. A key merged_into another names the same paper (two "
            "works found to be one): cite either; biblatex finds both. A removed key's work is in "
            "no list any more: it has no entry until the same work comes back, with this key. "
            "first_seen: the date of the run that first recorded the key (keys older than "
            "these dates carry the date of the first run that recorded any).",
            "keys": keys,
        }

    def stamp(self, run_date: str) -> None:
        """Date every key not dated yet: a replaced provisional key's successor inherits its
        date (the work is not new), every other key gets ``run_date``."""
        changed = True
        while changed:  # along chains of replacements, oldest first
            changed = False
            for old, new in sorted(self.replaced.items()):
                if old in self.first_seen and new not in self.first_seen:
                    self.first_seen[new] = self.first_seen[old]
                    changed = True
        for key in self.entries:
            self.first_seen.setdefault(key, run_date)

    def first_seen_of(self, key: str, aliases: Iterable[str] = ()) -> str:
        """When a work was first seen: the earliest date of its key and its aliases (two
        works found to be one paper were listed since the earlier)."""
        dates = [self.first_seen[k] for k in (key, *aliases) if k in self.first_seen]
        return min(dates, default="")

    def baseline(self) -> str:
        """The date of the first run that recorded dates: keys dated so were there before."""
        return min(self.first_seen.values(), default="")

    def resolve(self, key: str) -> str:
        """The key that stands for ``key`` now, through ``replaced_by`` and ``merged_into``."""
        seen = {key}
        while (nxt := self.merged.get(key) or self.replaced.get(key)) and nxt not in seen:
            seen.add(nxt)
            key = nxt
        return key

    def remember(self, key: str, ids: Iterable[str]) -> None:
        self.entries.setdefault(key, set()).update(ids)

    def follow_merges(self, keys: list[str], order: list[str]) -> list[str]:
        """``keys`` with each key merged into a key no work holds this run replaced by that
        key, in ``order`` (work ids; the first takes it).

        Two works found to be one paper publish one entry under the surviving key. When the
        survivor's row leaves the lists, the paper is still listed through the other work:
        it keeps the surviving key (its alias stays an alias), rather than the surviving key
        being removed and the alias published on its own. The map's identifiers are left
        as they are, so each work is still matched by its own key first.
        """
        out = list(keys)
        taken = set(keys)
        for i in sorted(range(len(keys)), key=lambda i: (order[i], i)):
            target = self.resolve(keys[i])
            if keys[i] in self.merged and target not in taken:
                taken.add(target)
                out[i] = target
        return out

    def mark_removed(self, present: Iterable[str]) -> None:
        """Mark every key that names no entry of this run (not in ``present``) and is neither
        an alias (``merged_into``) nor a retired provisional key (``replaced_by``) as removed;
        a present key is unmarked (its work came back)."""
        here = set(present)
        self.removed = {
            key
            for key in self.entries
            if key not in here and key not in self.merged and key not in self.replaced
        }

    def assign(self, works: list[tuple[Record, set[str]]]) -> list[str]:
        """A key for each (record, identifiers), in input order, updating the map.

        Matching runs in passes of decreasing strength (same work id, same arXiv/DOI/IEEE,
        same normalized title), each pass over works sorted by work id, so the result does
        not depend on input order. A key is given to one work per run at most.
        """
        index: dict[str, set[str]] = {}
        for key, ids in self.entries.items():
            for ident in ids:
                index.setdefault(ident, set()).add(key)
        order = sorted(range(len(works)), key=lambda i: (works[i][0].work_id, i))
        chosen: dict[int, str] = {}
        taken: set[str] = set()
        passes: tuple[tuple[str, ...], ...] = (("work:",), _STRONG[1:], ("title:",))
        for prefixes in passes:
            for i in order:
                if i in chosen:
                    continue
                ids = works[i][1]
                hits = [
                    k for ident in ids if ident.startswith(prefixes) for k in index.get(ident, ())
                ]
                # the same work id is trusted even if a DOI was corrected since
                check = prefixes != ("work:",)
                candidates = sorted(
                    {k for k in hits if k not in taken and not (check and self._conflicts(k, ids))}
                )
                if candidates:
                    best = max(candidates, key=lambda k: (hits.count(k), -candidates.index(k)))
                    chosen[i] = best
                    taken.add(best)
        for i in order:
            if i not in chosen:
                chosen[i] = self._new_key(base_key(works[i][0]))
                taken.add(chosen[i])
                if not works[i][0].verified:
                    self.provisional.add(chosen[i])
        for i in order:
            if works[i][0].verified and chosen[i] in self.provisional:
                chosen[i] = self._settle(chosen[i], works[i][0])
            elif chosen[i] in self.provisional and _UNREAD in chosen[i]:
                chosen[i] = self._reread(chosen[i], works[i][0])
        for i, key in chosen.items():
            self.remember(key, works[i][1])
        return [chosen[i] for i in range(len(works))]

    def _settle(self, key: str, record: Record) -> str:
        """Freeze a provisional key now that its work is verified; replace it if it does not
        fit the verified metadata (``anon2017can`` → ``shi2017can``)."""
        self.provisional.discard(key)
        return self._replace(key, record)

    def _reread(self, key: str, record: Record) -> str:
        """A provisional key made when a title could not be read (``anon2023untitled``: a
        Chinese title before keys read CJK) is replaced by the key its title gives now, once,
        as a provisional key may be; the new key is still provisional (its work is not
        verified), so verification may replace it in turn."""
        new = self._replace(key, record)
        if new != key:
            self.provisional.discard(key)
            self.provisional.add(new)
        return new

    def _replace(self, key: str, record: Record) -> str:
        """``key``, or a new key from ``record`` when ``key`` does not fit it (the old key is
        kept in the map as ``replaced_by``, matched no more, never handed out again)."""
        base = base_key(record)
        rest = key[len(base) :]
        if key.startswith(base) and (not rest or rest.isalpha()):
            return key
        new = self._new_key(base)
        self.replaced[key] = new
        self.entries[key] = set()
        return new

    def _conflicts(self, key: str, ids: set[str]) -> bool:
        """Same kind of strong identifier with different values: a different work."""
        known = self.entries.get(key, set())
        for prefix in ("arxiv:", "doi:", "ieee:"):
            mine = {x for x in ids if x.startswith(prefix)}
            theirs = {x for x in known if x.startswith(prefix)}
            if mine and theirs and not mine & theirs:
                return True
        return False

    def _new_key(self, base: str) -> str:
        if base not in self.entries:
            self.entries[base] = set()
            return base
        for suffix in _suffixes():
            if base + suffix not in self.entries:
                self.entries[base + suffix] = set()
                return base + suffix
        raise AssertionError("unreachable: suffixes are infinite")
