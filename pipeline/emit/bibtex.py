"""``output/papers.bib``, written with bibtexparser 2.

Text is made safe for BibTeX and LaTeX by :func:`pipeline.emit.latex.latex_escape`: every
special character becomes a macro, so the only braces in the file are the ones written here
and they always balance (BibTeX counts ``\\{`` as a brace, so ``{`` is written ``{\\textbraceleft}``).
Text macros are in braces, which BibTeX takes as one "special character" whose command
name it never changes case (styles upper-case names: ``\\TEXTBACKSLASH`` is undefined).
A title can therefore never close its field, start a new entry or run a command such as
``\\input`` or ``\\write18``. :func:`latex_decode` is the exact inverse (tests use it).

URLs cannot be escaped that way: under the url package ``\\url`` prints its argument
verbatim (``\\_`` would print a backslash), while a style's fallback when no package
defines ``\\url`` is ``\\texttt{#1}``, where ``%``, ``_``, ``#``, ``&``, ``~`` and ``^``
stop LaTeX. So URLs are written as they are and the file's ``@preamble`` (:data:`URL_GUARD`)
gives ``\\url`` a fallback that reads its argument verbatim, only where the url package
is not loaded. Every BibTeX style writes the preamble first in the .bbl, before its own
``\\providecommand{\\url}``; biblatex loads the url package, so there the guard does
nothing.

An arXiv preprint is ``@misc`` with ``howpublished = {arXiv:ID}`` (plain, unsrt and IEEEtran
print no ``eprint``), ``eprint``/``archiveprefix``/``eprinttype``/``primaryclass`` (biblatex,
elsarticle, gbt7714; Zotero's Extra ``arXiv: ID``) and no ``publisher`` (gbt7714: a book).
Our bookkeeping goes in ``verified``/``resolver``/``confidence``, which no style prints and
Zotero's BibTeX import ignores (``note``/``annote`` become Zotero notes and end references).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bibtexparser import model
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.writer import BibtexFormat

from pipeline import translit
from pipeline.emit.cjk import cjk_preamble
from pipeline.emit.latex import latex_escape, latex_title, printable, unsplittable
from pipeline.emit.records import Name, Record, is_preprint
from pipeline.ids import arxiv as arxiv_ids
from pipeline.ids.doi import plain

# Where the url package (also loaded by hyperref and biblatex) is not, ``\url`` reads its
# argument with the URL characters made printable, as the url package does, and sets it in
# typewriter type; where hyperref is not, ``\href{url}{text}`` (urlbst styles such as
# elsarticle-num link titles so) reads the URL the same way and prints only the text, and
# ``\nolinkurl`` and ``\path`` are ``\url``, since styles take a defined ``\href`` to mean
# hyperref is loaded and then use them (gbt7714, elsarticle-num).
# No spaces: BibTeX breaks long lines only there.
URL_GUARD = (
    r"\def\bibverbatimcatcodes{\catcode`\%=12\catcode`\#=12\catcode`\&=12\catcode`\_=12"
    r"\catcode`\~=12\catcode`\^=12\catcode`\$=12}"
    r"\ifx\urlstyle\undefined\def\url{\begingroup\bibverbatimcatcodes\bibverbatimurl}"
    r"\def\bibverbatimurl#1{\texttt{#1}\endgroup}\fi"
    r"\ifx\href\undefined\def\href{\begingroup\bibverbatimcatcodes\bibverbatimhref}"
    r"\def\bibverbatimhref#1{\endgroup}\ifx\nolinkurl\undefined\let\nolinkurl\url\fi"
    r"\ifx\path\undefined\let\path\url\fi\fi"
)


def _name_part(part: str) -> str:
    """Escape one name part; braces keep commas and the word "and" from splitting names."""
    escaped = _name_escape(part)
    if re.search(r",|\band\b|^others$", part, re.IGNORECASE) or (part[:1].islower()):
        return "{" + escaped + "}"
    return escaped


def _name_escape(part: str) -> str:
    """A name part in LaTeX, each bracket and parenthesis in braces: natbib's author-year
    label is made of family names, and a bare ``]`` ends its ``\\bibitem[…]`` option, a ``(``
    confuses its ``Name(Year)`` parser ("Bibliography not compatible with author-year
    citations"); biblatex-apa makes a regular expression of the author field's text up to its
    first brace (to drop a publisher that is the author), where they are unbalanced."""
    return re.sub(r"[\[\]()]", r"{\g<0>}", latex_escape(part, in_name=True))


# Debris of the lists, never part of a name: backslashes and braces anywhere (biber keeps an
# escaped brace's backslash, which ends biblatex-apa's regular expression, see _name_escape);
# no word starts with a macro's or a math shift's characters (biber makes no initial of a word
# that starts with a macro and writes a stray one), and no name part with a bracket, a
# parenthesis or a regular-expression quantifier.
_NAME_DEBRIS = re.compile(r"[\\{}]|(?:^|(?<=[\s-]))[~^<>|$]+")
_NAME_LEAD = re.compile(r"^[\s()\[\]*+?]+")


def name_text(part: str) -> str:
    """A name part as the .bib writes it: printable, without debris."""
    return _NAME_LEAD.sub("", " ".join(_NAME_DEBRIS.sub("", printable(part)).split()))


def bib_name(name: Name) -> str:
    """``Family, Given``; organizations, and names in scripts without LaTeX letters, as one
    braced literal (in the order the list wrote them)."""
    family, given = name_text(name.family), name_text(name.given)
    literal = name_text(name.literal) or (
        " ".join(p for p in (given, family) if p) if unsplittable(family + given) else ""
    )
    if literal or not family:
        return "{" + _name_escape(literal or given) + "}"
    suffix = _name_part(name_text(name.suffix)) if name.suffix else ""
    if suffix and given:  # BibTeX's "von Last, Jr, First"
        return f"{_name_part(family)}, {suffix}, {_name_part(given)}"
    if suffix:  # "Last, Jr," with no First is an error ("a comma at the end")
        return "{" + _name_escape(f"{family} {name_text(name.suffix)}") + "}"
    return f"{_name_part(family)}, {_name_part(given)}" if given else _name_part(family)


def _safe_url(url: str) -> str:
    """http(s) URLs only, with what is not a URL character percent-encoded (spaces, braces,
    backslashes, non-ASCII), so that ``\\url`` and :data:`URL_GUARD` read it verbatim."""
    if not re.match(r"https?://[^\s/]+", url, re.IGNORECASE):
        return ""
    allowed = set("-._~:/?#[]@!$&'()*+,;=%") | set("0123456789")
    return "".join(
        c
        if (c.isascii() and c.isalnum()) or c in allowed
        else "".join(f"%{b:02X}" for b in c.encode())
        for c in url
    )


def entry_type(record: Record) -> str:
    """``@article``/``@inproceedings`` when the venue is known (a missing author or year is
    a BibTeX warning, a missing journal or booktitle would be a wrong entry)."""
    complete = bool(record.container)
    if record.type == "article-journal" and complete:
        return "article"
    if record.type == "paper-conference" and complete:
        return "inproceedings"
    return "misc"


def bib_url(record: Record, doi: str) -> str:
    """The ``url`` field: none where the DOI says it all (styles print the DOI, or link
    through it), else the work's own page, else its arXiv abstract page. A preprint's page
    is the abstract page of the id its entry prints (biblatex-apa prints only the URL)."""
    if doi:
        return ""
    arxiv_page = _safe_url(arxiv_ids.abs_url(record.arxiv) if record.arxiv else "")
    if is_preprint(record):
        return arxiv_page
    return _safe_url(record.url) or arxiv_page


def entry_fields(record: Record) -> list[tuple[str, str]]:
    """The fields of one entry, in a fixed order, values already LaTeX-escaped."""
    kind = entry_type(record)
    fields: list[tuple[str, str]] = [("title", latex_title(record.title))]
    aliases = [a for a in record.aliases if _KEY.fullmatch(a)]
    if aliases:  # biblatex: \cite{oldkey} still finds this entry
        fields.insert(0, ("ids", ",".join(aliases)))
    if record.original_title:  # biblatex keeps it; BibTeX styles print the English title
        fields.append(("origtitle", latex_escape(record.original_title)))
    authors = [n for n in record.authors if name_text(n.display)]
    if authors:
        fields.append(("author", " and ".join(bib_name(n) for n in authors)))
    else:
        # plainnat labels an authorless entry by its cite key's first three letters, and
        # more than 26 such labels in a year run past "z" into "{": a key field prevents it
        fields.append(("key", latex_escape(label_key(record))))
    if kind == "article":
        fields.append(("journal", latex_escape(record.container)))
    elif kind == "inproceedings":
        fields.append(("booktitle", latex_escape(record.container)))
    elif record.type in {"dataset", "software"}:
        label = "Dataset" if record.type == "dataset" else "Software"
        where = f": {latex_escape(record.container)}" if record.container else ""
        fields.append(("howpublished", label + where))
    elif record.container:
        fields.append(("howpublished", latex_escape(record.container)))
    elif is_preprint(record):  # plain, unsrt and IEEEtran print no eprint (module docstring)
        fields.append(("howpublished", f"arXiv:{latex_escape(record.arxiv)}"))
    if record.year:
        fields.append(("year", str(record.year)))
    for name, value in (("volume", record.volume), ("number", record.issue)):
        if value:
            fields.append((name, latex_escape(value)))
    if record.page:
        pages = re.sub(r"\s*[-\u2010-\u2015]+\s*", "--", record.page)
        fields.append(("pages", latex_escape(pages).replace("-{}-", "--")))
    if record.publisher and not is_preprint(record):  # gbt7714: a publisher makes it a book
        fields.append(("publisher", latex_escape(record.publisher)))
    if record.arxiv:
        fields += [("eprint", record.arxiv), ("archiveprefix", "arXiv"), ("eprinttype", "arxiv")]
        if record.primary_class and re.fullmatch(r"[a-zA-Z.-]+", record.primary_class):
            fields.append(("primaryclass", record.primary_class))
    doi = plain(record.doi)  # verbatim in biblatex, plain text in plainnat: both must read it
    if doi:
        fields.append(("doi", doi))
    url = bib_url(record, doi)
    if url:
        fields.append(("url", url))
    if record.language in _LANGUAGES:
        fields.append(("note", f"(in {_LANGUAGES[record.language]})"))
    return fields + status_fields(record)


def status_fields(record: Record) -> list[tuple[str, str]]:
    """Our bookkeeping, in fields no style prints and Zotero's BibTeX import drops (module
    docstring); in ``note`` it would end the printed reference and become a Zotero note."""
    return [
        ("verified", "true" if record.verified else "false"),
        ("resolver", latex_escape(record.resolved_by)),
        ("confidence", f"{round(record.confidence, 3)}"),
    ]


# What may not stand in a label: brackets end natbib's \bibitem[…] option, parentheses
# confuse its Name(Year) parser, and a macro (a backslash, braces, specials) would be written
# to the .aux with it. "Bibliography not compatible with author-year citations" follows.
_LABEL_UNSAFE = re.compile(r"[\[\](){}\\%#~^&$_|<>@\"`]")


def label_key(record: Record) -> str:
    """The ``key`` field of an authorless entry: its title's first three words, with nothing
    a label may not hold, in Latin letters (a label is also set in the text, where pdflatex
    has no CJK); the citation key when no word is left."""
    words = _LABEL_UNSAFE.sub(" ", translit.romanize(record.title)).split()
    return " ".join(words[:3])[:40].strip() or record.key


_KEY = re.compile(r"[A-Za-z0-9_.:-]+")
"""What a citation key made by emit looks like (an alias is written only if it is one)."""

# IEEE's rule for a work published in another language: its English title, then "(in …)".
_LANGUAGES = {"zh": "Chinese", "ja": "Japanese", "ko": "Korean"}


def render(records: Iterable[Record]) -> str:
    """The whole .bib: the :data:`URL_GUARD` preamble, then the entries in key order."""
    ordered = sorted(records, key=lambda r: r.key)
    if not ordered:
        return ""
    library = Library()
    library.add(model.Preamble(f'"{URL_GUARD}"'))
    entries = [(record, entry_fields(record)) for record in ordered]
    cjk = cjk_preamble("".join(v for _, fields in entries for _, v in fields), latex_escape)
    if cjk:
        library.add(model.Preamble(f'"{cjk}"'))
    for record, pairs in entries:
        fields = [model.Field(k, "{" + v + "}") for k, v in pairs]
        library.add(model.Entry(entry_type(record), record.key, fields))
    style = BibtexFormat()  # type: ignore[no-untyped-call]
    style.indent = "  "
    style.block_separator = "\n"
    text: str = write_string(library, unparse_stack=[], bibtex_format=style)
    return text.strip() + "\n" if text.strip() else ""
