"""One spelling per venue: what lists write (``TGRS``, ``T-GRS``, ``remote sensing``, ``CVPR-25``)
→ the venue's name, its short name and whether it is a journal or a conference's proceedings.

The table below is curated: one row per venue, with its source.

* *name* is what ``journal`` / ``booktitle`` / CSL ``container-title`` print: a journal's full
  title as its publisher (and JabRef's IEEE abbreviation list) writes it; for a conference, its
  proceedings' title as the CVF, IEEE Xplore, ACM, PMLR, AAAI or Springer title it, without
  the year or edition (``Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern
  Recognition (CVPR)``), so that one conference is one spelling across years.
* *short* is the acronym the field uses (the README shows it); none when the name is short.
* *ISO 4* is the journal's abbreviation by the ISSN's List of Title Word Abbreviations (tests
  check it against the LTWA that ``pyiso4`` ships): registries' short container titles use it.
* *spellings* are the other ways lists and registries write the venue.

Lookups ignore case, accents, punctuation, ``&``/``and``, a leading ``The``/``Proceedings of
the``, a year or edition (``CVPR 2024``, ``CVPR-25``, ``CVPR2024W``, ``6th``) and a
presentation label (``Oral``, ``Spotlight``, ``Highlight``, ``Poster``).

A registry's container title is its own: :func:`expand` replaces only an abbreviation
(``IEEE Trans. Geosci. Remote Sens.``, ``TGRS``), never a full title; the list's venue is
always replaced when the table knows it (:func:`lookup`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

VenueKind = Literal["journal", "proceedings"]

# kind | name | short | ISO 4 | other spellings (;) | source
_ROWS = """
journal | IEEE Transactions on Geoscience and Remote Sensing | TGRS | IEEE Trans. Geosci. Remote Sens. | T-GRS; TGARS; IEEE TGRS; IEEE T-GRS; IEEE Trans. Geosci. Remote Sensing | JabRef IEEE list
journal | IEEE Journal of Selected Topics in Applied Earth Observations and Remote Sensing | JSTARS | IEEE J. Sel. Top. Appl. Earth Obs. Remote Sens. | J-STARS; JSTAR; IEEE JSTARS; IEEE J-STARS; IEEE J. Sel. Topics Appl. Earth Observ. Remote Sens. | JabRef IEEE list
journal | IEEE Geoscience and Remote Sensing Letters | GRSL | IEEE Geosci. Remote Sens. Lett. | LGRS; IEEE GRSL; IEEE LGRS | JabRef IEEE list
journal | IEEE Geoscience and Remote Sensing Magazine | GRSM | IEEE Geosci. Remote Sens. Mag. | MGRS; IEEE GRSM | JabRef IEEE list
journal | Remote Sensing | RS | Remote Sens. | MDPI Remote Sensing; Remote Sensing (MDPI) | MDPI (ISSN 2072-4292)
journal | ISPRS Journal of Photogrammetry and Remote Sensing | ISPRS P&RS | ISPRS J. Photogramm. Remote Sens. | ISPRS J. P&RS; ISPRS JPRS; P&RS | Elsevier (ISSN 0924-2716)
journal | Remote Sensing of Environment | RSE | Remote Sens. Environ. | | Elsevier (ISSN 0034-4257)
journal | International Journal of Applied Earth Observation and Geoinformation | JAG | Int. J. Appl. Earth Obs. Geoinf. | INT J APPL EARTH OBS; IJAEOG | Elsevier (ISSN 1569-8432); the Web of Science abbreviation
journal | International Journal of Remote Sensing | IJRS | Int. J. Remote Sens. | | Taylor & Francis (ISSN 0143-1161)
journal | International Journal of Digital Earth | IJDE | Int. J. Digit. Earth | | Taylor & Francis (ISSN 1753-8947)
journal | Geo-spatial Information Science | GSIS | Geo-spatial Inf. Sci. | | Taylor & Francis (ISSN 1009-5020)
journal | Photogrammetric Engineering & Remote Sensing | PE&RS | Photogramm. Eng. Remote Sens. | PERS | ASPRS (ISSN 0099-1112)
journal | Journal of Systems Engineering and Electronics | JSEE | J. Syst. Eng. Electron. | J SYST ENG ELECTRON | IEEE Xplore (ISSN 1004-4132); the Web of Science abbreviation
journal | IEEE Access | | IEEE Access | | JabRef IEEE list
journal | Proceedings of the IEEE | Proc. IEEE | Proc. IEEE | IEEE PROC | JabRef IEEE list
journal | IEEE Transactions on Pattern Analysis and Machine Intelligence | TPAMI | IEEE Trans. Pattern Anal. Mach. Intell. | T-PAMI; PAMI; IEEE TPAMI | JabRef IEEE list
journal | IEEE Transactions on Image Processing | TIP | IEEE Trans. Image Process. | IEEE TIP | JabRef IEEE list
journal | IEEE Transactions on Neural Networks and Learning Systems | TNNLS | IEEE Trans. Neural Netw. Learn. Syst. | IEEE TNNLS | JabRef IEEE list
journal | IEEE Transactions on Circuits and Systems for Video Technology | TCSVT | IEEE Trans. Circuits Syst. Video Technol. | IEEE TCSVT | JabRef IEEE list
journal | IEEE Transactions on Multimedia | TMM | IEEE Trans. Multimed. | IEEE TMM; IEEE Trans. Multimedia | JabRef IEEE list
journal | IEEE Transactions on Intelligent Transportation Systems | TITS | IEEE Trans. Intell. Transp. Syst. | T-ITS; IEEE TITS | JabRef IEEE list
journal | IEEE Transactions on Cybernetics | TCYB | IEEE Trans. Cybern. | IEEE TCYB | JabRef IEEE list
journal | IEEE Robotics and Automation Letters | RA-L | IEEE Robot. Autom. Lett. | IEEE RA-L | JabRef IEEE list
journal | IEEE Internet of Things Journal | IoT-J | IEEE Internet Things J. | IEEE IoT-J | JabRef IEEE list
journal | International Journal of Computer Vision | IJCV | Int. J. Comput. Vis. | | Springer (ISSN 0920-5691)
journal | Computer Vision and Image Understanding | CVIU | Comput. Vis. Image Underst. | | Elsevier (ISSN 1077-3142)
journal | Pattern Recognition | PR | Pattern Recognit. | | Elsevier (ISSN 0031-3203)
journal | Pattern Recognition Letters | PRL | Pattern Recognit. Lett. | PR Letters | Elsevier (ISSN 0167-8655)
journal | Neurocomputing | | Neurocomputing | | Elsevier (ISSN 0925-2312)
journal | Neural Networks | | Neural Netw. | | Elsevier (ISSN 0893-6080)
journal | Information Fusion | | Inf. Fusion | | Elsevier (ISSN 1566-2535)
journal | Knowledge-Based Systems | KBS | Knowl.-Based Syst. | | Elsevier (ISSN 0950-7051)
journal | Science Bulletin | | Sci. Bull. | | Elsevier (ISSN 2095-9273)
journal | Science China Information Sciences | | Sci. China Inf. Sci. | | Springer (ISSN 1674-733X)
journal | Nature | | Nature | | Springer Nature (ISSN 0028-0836)
journal | Nature Machine Intelligence | | Nat. Mach. Intell. | | Springer Nature (ISSN 2522-5839)
journal | Applied Sciences | | Appl. Sci. | MDPI Applied Sciences | MDPI (ISSN 2076-3417)
journal | Sensors | | Sensors | MDPI Sensors | MDPI (ISSN 1424-8220)
journal | Electronics | | Electronics | MDPI Electronics | MDPI (ISSN 2079-9292)
journal | Mathematics | | Mathematics | MDPI Mathematics | MDPI (ISSN 2227-7390)
journal | Transactions on Machine Learning Research | TMLR | Trans. Mach. Learn. Res. | | OpenReview (ISSN 2835-8856)
proceedings | Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR) | CVPR | | IEEE Conference on Computer Vision and Pattern Recognition; Conference on Computer Vision and Pattern Recognition; Computer Vision and Pattern Recognition | CVF open access
proceedings | Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops (CVPRW) | CVPRW | | CVPR Workshops; CVPR Workshop; IEEE Conference on Computer Vision and Pattern Recognition Workshops | CVF open access
proceedings | Proceedings of the IEEE/CVF International Conference on Computer Vision (ICCV) | ICCV | | IEEE International Conference on Computer Vision; International Conference on Computer Vision | CVF open access
proceedings | Proceedings of the IEEE/CVF International Conference on Computer Vision Workshops (ICCVW) | ICCVW | | ICCV Workshops; ICCV Workshop | CVF open access
proceedings | Proceedings of the IEEE/CVF Winter Conference on Applications of Computer Vision (WACV) | WACV | | Winter Conference on Applications of Computer Vision | CVF open access
proceedings | Proceedings of the European Conference on Computer Vision (ECCV) | ECCV | | European Conference on Computer Vision | Springer LNCS
proceedings | Advances in Neural Information Processing Systems (NeurIPS) | NeurIPS | Adv. Neural Inf. Process. Syst. | NIPS; Conference on Neural Information Processing Systems; Neural Information Processing Systems | NeurIPS proceedings
proceedings | International Conference on Learning Representations (ICLR) | ICLR | | | OpenReview
proceedings | Proceedings of the International Conference on Machine Learning (ICML) | ICML | | | PMLR
proceedings | Proceedings of the AAAI Conference on Artificial Intelligence | AAAI | Proc. AAAI Conf. Artif. Intell. | AAAI Conference on Artificial Intelligence | AAAI Press
proceedings | Proceedings of the International Joint Conference on Artificial Intelligence (IJCAI) | IJCAI | | | IJCAI Organization
proceedings | Proceedings of the ACM International Conference on Multimedia (ACM MM) | ACM MM | | ACMMM; ACM Multimedia | ACM Digital Library
proceedings | Proceedings of the ACM International Conference on Multimedia Retrieval (ICMR) | ICMR | | ACM ICMR | ACM Digital Library
proceedings | Proceedings of the ACM SIGKDD Conference on Knowledge Discovery and Data Mining (KDD) | KDD | | SIGKDD | ACM Digital Library
proceedings | Proceedings of the Annual Meeting of the Association for Computational Linguistics (ACL) | ACL | | | ACL Anthology
proceedings | Proceedings of the Conference on Empirical Methods in Natural Language Processing (EMNLP) | EMNLP | | | ACL Anthology
proceedings | Proceedings of the Conference of the North American Chapter of the Association for Computational Linguistics (NAACL) | NAACL | | | ACL Anthology
proceedings | IEEE International Geoscience and Remote Sensing Symposium (IGARSS) | IGARSS | | | IEEE Xplore
proceedings | Joint Urban Remote Sensing Event (JURSE) | JURSE | | | IEEE Xplore
proceedings | IEEE International Conference on Image Processing (ICIP) | ICIP | | | IEEE Xplore
proceedings | IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP) | ICASSP | | | IEEE Xplore
proceedings | IEEE International Conference on Multimedia and Expo (ICME) | ICME | | | IEEE Xplore
proceedings | International Conference on Pattern Recognition (ICPR) | ICPR | | | IEEE Xplore
proceedings | International Conference on Digital Image Computing: Techniques and Applications (DICTA) | DICTA | | | IEEE Xplore
proceedings | International Conference on Computer, Information and Telecommunication Systems (CITS) | CITS | | | IEEE Xplore
proceedings | International Conference on Electrical and Computer Engineering (ICECE) | ICECE | | | IEEE Xplore
proceedings | IEEE International Conference on Robotics and Automation (ICRA) | ICRA | | | IEEE Xplore
proceedings | IEEE/RSJ International Conference on Intelligent Robots and Systems (IROS) | IROS | | | IEEE Xplore
proceedings | Conference on Robot Learning (CoRL) | CoRL | | Annual Conference on Robot Learning | PMLR
proceedings | Robotics: Science and Systems (RSS) | RSS | | | RSS Foundation
proceedings | British Machine Vision Conference (BMVC) | BMVC | | | BMVA
proceedings | Asian Conference on Computer Vision (ACCV) | ACCV | | | Springer LNCS
proceedings | International Conference on 3D Vision (3DV) | 3DV | | | IEEE Xplore
proceedings | International Conference on Medical Image Computing and Computer-Assisted Intervention (MICCAI) | MICCAI | | | Springer LNCS
proceedings | Joint European Conference on Machine Learning and Knowledge Discovery in Databases (ECML PKDD) | ECML PKDD | | ECML-PKDD | Springer LNCS
proceedings | Workshop on Complex Data Challenges in Earth Observation (CDCEO) | CDCEO | | | CEUR Workshop Proceedings
"""


@dataclass(frozen=True)
class Venue:
    kind: VenueKind
    name: str
    short: str
    iso4: str
    spellings: tuple[str, ...]
    source: str

    @property
    def csl_type(self) -> str:
        """The CSL type of a paper in this venue."""
        return "article-journal" if self.kind == "journal" else "paper-conference"

    @property
    def label(self) -> str:
        """How the README names the venue: its acronym, else its name."""
        return self.short or self.name

    def lookup_keys(self) -> set[str]:
        names = [self.name, self.short, self.iso4, *self.spellings]
        return {k for n in names if n for k in map(key, variants(n)) if k}

    def abbreviations(self) -> set[str]:
        """Keys of the short forms only (a registry's full title is never replaced)."""
        short = [self.short, self.iso4, *(s for s in self.spellings if _abbreviated(s))]
        return {k for k in (key(s) for s in short if s) if k}


_LABEL = re.compile(r"\b(?:oral|spotlight|highlights?|poster)\b")
_YEARS = re.compile(r"(?:19|20)\d\d|['’]\d\d\b|(?<=[a-z])-\d\d\b|\b\d+(?:st|nd|rd|th)\b")
_LEADING = re.compile(r"^(?:the|in)\s+")
_PROCEEDINGS = re.compile(r"^(?:proceedings\s+of|proc\.?(?:\s+of)?)\s+(?:the\s+)?", re.IGNORECASE)
_PUBLISHER = re.compile(r"^(?:IEEE|ACM|CVF)(?:/(?:CVF|RSJ|ACM))?\s+")
_ACRONYM = re.compile(r"\s*\([^()]*\)\s*\Z")
_STOPWORDS = frozenset({"of", "and", "on", "the", "in", "for", "&", "-"})


def key(text: str) -> str:
    """The lookup form of a venue's spelling (see the module's doc for what it ignores)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " and ")
    text = _YEARS.sub(" ", _LABEL.sub(" ", text))
    text = _LEADING.sub("", " ".join(text.split()))
    return re.sub(r"[^a-z0-9]+", "", text)


def variants(text: str) -> list[str]:
    """``text``, then without ``Proceedings of the``, a trailing ``(CVPR)`` or a leading
    ``IEEE``/``ACM`` (each only where two words or more are left): lists write all of them."""
    out = [" ".join(text.split())]
    for pattern in (_PROCEEDINGS, _ACRONYM, _PUBLISHER):
        for current in list(out):
            shorter = pattern.sub("", current).strip()
            if shorter != current and len(shorter.split()) > 1 and shorter not in out:
                out.append(shorter)
    return out


def _abbreviated(text: str) -> bool:
    """An acronym or an abbreviation: a dotted word, or only capitals and stopwords."""
    words = text.split()
    return any(w.endswith(".") for w in words) or all(
        not any(c.islower() for c in w) or w.lower() in _STOPWORDS for w in words
    )


def _read(rows: str) -> tuple[Venue, ...]:
    venues = []
    for line in rows.strip().splitlines():
        kind, name, short, iso4, spellings, source = (c.strip() for c in line.split("|"))
        if kind not in ("journal", "proceedings"):
            raise ValueError(f"venue table: unknown kind {kind!r} in {line!r}")
        found = tuple(s.strip() for s in spellings.split(";") if s.strip())
        venues.append(Venue(kind, name, short, iso4, found, source))  # type: ignore[arg-type]
    return tuple(venues)


VENUES = _read(_ROWS)
_BY_KEY = {k: venue for venue in VENUES for k in venue.lookup_keys()}
_BY_ABBREVIATION = {k: venue for venue in VENUES for k in venue.abbreviations()}


def lookup(text: str | None) -> Venue | None:
    """The venue a list's text names, if the table knows it."""
    if not text:
        return None
    return next((_BY_KEY[k] for k in map(key, variants(text)) if k in _BY_KEY), None)


def expand(text: str | None) -> Venue | None:
    """The venue a registry's container title abbreviates (``IEEE Trans. Geosci. Remote
    Sens.``, ``TGRS``); None for a full title, which stays as the registry wrote it."""
    return _BY_ABBREVIATION.get(key(text)) if text else None


def label(text: str) -> str:
    """The README's name for a venue: the table's acronym, else the text as it is."""
    venue = lookup(text)
    return venue.label if venue else text


_SEPARATOR = re.compile(r"\s*(?::|\s[-–—|]|,|\.)\s+")
_NAMED = re.compile(
    r"\b(?:conference|proceedings|symposium|workshops?|journal|transactions|letters|magazine|"
    r"congress|meeting|event)\b|(?:19|20)\d\d",
    re.IGNORECASE,
)


def split_title(title: str) -> tuple[str, str | None]:
    """A title that ends with its venue's name (``…Sensing Data: The International Conference
    on Digital Image Computing: Techniques and Applications``) → title and venue text. The
    venue must be one the table knows, written as a name or with a year (a title ending in
    ``: Remote Sensing`` keeps it); at least three words of title stay."""
    for match in _SEPARATOR.finditer(title):
        head, tail = title[: match.start()].strip(), title[match.end() :].strip(" .")
        if len(head.split()) < 3:
            continue
        if _NAMED.search(tail) and lookup(tail) is not None:
            return head, tail
    return title, None
