"""Text written for reading turned into text written for listening: every symbol, number and
abbreviation as the words a listener hears.

Our own rules and the data table `abbreviations.tsv` run first (document symbols such as
"50-CT/TW" and "123/QĐ-UBND", party and state abbreviations, URLs, e-mail addresses, units);
g2p-hamster's normaliser then reads what is left (dates, times, numbers with the Vietnamese
decimal comma and thousand dots, percentages, Roman numerals, telephone numbers). Its
`text_to_profile_v2_full` runs this same first step (`t0`) and goes on to phonemes, which
espeak-ng does not take, so we stop at its words (`read_string`). NFC in and out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from audio.tts.base import BadText

TABLE_PATH = Path(__file__).with_name("abbreviations.tsv")
KINDS = ("word", "doctype", "issuer", "unit")

# A letter-initial symbol part: "CT", "QĐ", "TTg", "BTGTW", "ThU".
_PART = r"[A-ZĐƯ][A-Za-zĐđƯư]*"
_DIGITS = r"\d{1,5}"
# 50-CT/TW, 12-HD/BTGTW, 05-NQ/ĐU (party style: number-type/issuer).
_PARTY_SYMBOL = re.compile(rf"(?<![\w/.-])({_DIGITS})-({_PART})/({_PART}(?:-{_PART})*)(?![\w/])")
# 123/QĐ-UBND, 45/2024/NĐ-CP, 15/CT-TTg (state style: number[/year]/type-issuer).
_STATE_SYMBOL = re.compile(
    rf"(?<![\w/.-])({_DIGITS})/(?:(\d{{4}})/)?({_PART})-({_PART}(?:-{_PART})*)(?![\w/])"
)
# NQ/TW, QĐ-TW, HD/BTGTW with no number.
_BARE_SYMBOL = re.compile(rf"(?<![\w/.-])({_PART})[/-]({_PART})(?![\w/-])")
_QUARTER = re.compile(r"\b([Qq]uý)\s+(IV|I{1,3})(?:\s*/\s*(\d{4}))?\b")
# "Mục 1.2", "điểm 2.3.1": clause numbers, read with "chấm", not as decimals.
_CLAUSE_NUMBER = re.compile(
    r"\b([Mm]ục|[Đđ]iểm|[Pp]hần|[Kk]hoản|[Đđ]iều|[Tt]iểu mục)\s+(\d{1,2}(?:\.\d{1,2})+)(?![\d.]*\d)"
)
# "1.2. Kết quả" at the start of a line; "1.234 người" is a number, not a clause.
_LINE_CLAUSE_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.\s+")
_LINE_ROMAN = re.compile(r"^([IVXL]{1,6})[.)]\s+")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")
_URL = re.compile(
    r"(?<![\w@/])(?:(?:https?://|www\.)[^\s<>\"“”]+"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|org|net|gov|edu|info)(?:\.vn)?(?:/[^\s<>\"“”]*)?)",
    re.IGNORECASE,
)
_URL_SEPARATORS = {
    ".": "chấm",
    "/": "gạch chéo",
    "-": "gạch ngang",
    "_": "gạch dưới",
    ":": "hai chấm",
    "?": "hỏi",
    "=": "bằng",
    "&": "và",
    "#": "thăng",
    "+": "cộng",
    "%": "phần trăm",
}
# Country codes the table would otherwise read as the country ("vn" is not "Việt Nam" in an address).
_URL_WORDS = {"vn": "vê en", "www": "vê kép vê kép vê kép"}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_BULLET = re.compile(r"^\s*(?:[-–—•*+▪●◦]|\d{1,2}\))\s+")
_UPPER_WORD = re.compile(r"\b[A-ZĐÀ-Ỹ]{2,}\b")


@dataclass(frozen=True)
class Table:
    """The abbreviation table: the packaged rows with an operator's file read over them."""

    words: dict[str, str] = field(default_factory=dict)
    doctypes: dict[str, str] = field(default_factory=dict)
    issuers: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    def _kind(self, kind: str) -> dict[str, str]:
        return {
            "word": self.words,
            "doctype": self.doctypes,
            "issuer": self.issuers,
            "unit": self.units,
        }[kind]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _read_rows(path: Path) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = _nfc(raw.rstrip("\r"))
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != 3 or cells[0] not in KINDS or not cells[1] or not cells[2]:
            raise ValueError(f"{path}:{number}: expected 'kind<TAB>written<TAB>spoken'")
        rows.append((cells[0], cells[1], cells[2]))
    return rows


@lru_cache(maxsize=8)
def load_table(extra: str = "") -> Table:
    """The packaged table, with the rows of `extra` (an operator's TSV path) read over it."""
    table = Table()
    digest = hashlib.sha256()
    for path in [TABLE_PATH, *([Path(extra)] if extra else [])]:
        for kind, written, spoken in _read_rows(path):
            table._kind(kind)[written] = spoken
            digest.update(f"{kind}\t{written}\t{spoken}\n".encode())
    return Table(table.words, table.doctypes, table.issuers, table.units, digest.hexdigest())


def version(table: Table) -> str:
    """What the normaliser's output depends on, for cache keys: the table and g2p-hamster."""
    try:
        g2p = metadata.version("g2p-hamster")
    except metadata.PackageNotFoundError:  # pragma: no cover - a broken install
        g2p = "absent"
    return f"norm1:{table.digest[:16]}:g2p-hamster-{g2p}"


@lru_cache(maxsize=16)
def _word_pattern(keys: frozenset[str]) -> re.Pattern[str]:
    def bounded(key: str) -> str:
        head = r"(?<![\w])" if re.match(r"\w", key[0]) else r"(?<!\S)"
        tail = r"(?![\w])" if re.match(r"\w", key[-1]) else r"(?!\S)"
        return head + re.escape(key) + tail

    return re.compile("|".join(bounded(k) for k in sorted(keys, key=len, reverse=True)))


@lru_cache(maxsize=16)
def _unit_pattern(keys: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(\d)\s?({alternatives})(?![\w²³])")


def _roman(value: str) -> int:
    total = 0
    for i, ch in enumerate(value):
        n = _ROMAN[ch]
        total += -n if i + 1 < len(value) and _ROMAN[value[i + 1]] > n else n
    return total


def _issuer(code: str, table: Table) -> str:
    return " ".join(table.issuers.get(p) or table.words.get(p) or p for p in code.split("-"))


def _symbol(match: re.Match[str], year: str | None, kind: str, issuer: str, table: Table) -> str:
    """A document symbol as said: "Chỉ thị 50-CT/TW" -> "Chỉ thị số 50 của Trung ương"."""
    before, after = match.string[: match.start()], match.string[match.end() :]
    number = match.group(1)
    type_words = table.doctypes.get(kind, kind)
    tail = before.rstrip().lower()
    has_number_word = tail.endswith(" số") or tail == "số"
    if has_number_word:
        tail = tail[: -len("số")].rstrip()
    # The type already said before the symbol ("Quy định 29-QĐ/TW": QĐ is a quy định for the
    # Party, a quyết định for the State) is not said again.
    named = [t for t in table.doctypes.values() if tail.endswith(t.lower())]
    said = "" if named else type_words + " "
    said += "" if has_number_word and not said else "số "
    said += number + (f" năm {year}" if year else "")
    # "Nghị quyết 21-NQ/TW của Hội nghị…" must not say "của" twice in a row.
    return f"{said}{_of(after)}{_issuer(issuer, table)}"


def _of(after: str) -> str:
    """ "… 21-NQ/TW của Hội nghị…" must not say "của" twice in a row."""
    return " " if after.lstrip().lower().startswith("của ") else " của "


def _spell_address(text: str) -> str:
    words: list[str] = []
    for piece in re.split(r"([./\-_:?=&#+%])", text):
        if not piece:
            continue
        words.append(_URL_SEPARATORS.get(piece) or _URL_WORDS.get(piece.lower(), piece.lower()))
    return " ".join(words)


def _url(match: re.Match[str]) -> str:
    url = match.group(0)
    trail = ""
    while url and url[-1] in ".,;:!?)]}'":
        trail = url[-1] + trail
        url = url[:-1]
    url = re.sub(r"^https?://", "", url, flags=re.IGNORECASE).rstrip("/")
    spoken = ""
    if url.lower().startswith("www."):
        spoken, url = "vê kép vê kép vê kép chấm ", url[4:]
    return f" {spoken}{_spell_address(url)}{trail} "


def _email(match: re.Match[str]) -> str:
    return f" {_spell_address(match.group(1))} a còng {_spell_address(match.group(2))} "


def _sentence_case_capitals(line: str, table: Table) -> str:
    """A heading in capitals ("TÌNH HÌNH CHUNG") would be spelt letter by letter."""
    words = re.findall(r"[^\W\d_]+", line)
    long_caps = [w for w in words if len(w) >= 3 and w.isupper() and w not in table.words]
    if len(long_caps) < 2 or any(w.islower() for w in words):
        return line

    def lower(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in table.words or word in table.issuers:
            return word
        return word.lower()

    line = _UPPER_WORD.sub(lower, line)
    return line[:1].upper() + line[1:]


def expand(line: str, table: Table) -> str:
    """Our own rules and the table, on one line, before g2p-hamster."""
    line = _BULLET.sub("", line)
    line = _LINE_ROMAN.sub(lambda m: f"Phần {_roman(m.group(1))}. ", line)
    line = _sentence_case_capitals(line, table)
    line = _LINE_CLAUSE_NUMBER.sub(lambda m: m.group(1).replace(".", " chấm ") + ". ", line)
    line = _EMAIL.sub(_email, line)
    line = _URL.sub(_url, line)
    line = _STATE_SYMBOL.sub(lambda m: _symbol(m, m.group(2), m.group(3), m.group(4), table), line)
    line = _PARTY_SYMBOL.sub(lambda m: _symbol(m, None, m.group(2), m.group(3), table), line)

    def bare(match: re.Match[str]) -> str:
        kind, issuer = match.group(1), match.group(2)
        if kind in table.doctypes and (issuer in table.issuers or issuer in table.words):
            after = match.string[match.end() :]
            return f"{table.doctypes[kind]}{_of(after)}{_issuer(issuer, table)}"
        return match.group(0)

    line = _BARE_SYMBOL.sub(bare, line)
    line = _QUARTER.sub(
        lambda m: (
            f"{m.group(1)} {_roman(m.group(2))}" + (f" năm {m.group(3)}" if m.group(3) else "")
        ),
        line,
    )
    line = _CLAUSE_NUMBER.sub(lambda m: f"{m.group(1)} {m.group(2).replace('.', ' chấm ')}", line)
    if table.units:
        units = _unit_pattern(frozenset(table.units))
        line = units.sub(lambda m: f"{m.group(1)} {table.units[m.group(2)]}", line)
    words = {**table.issuers, **table.doctypes, **table.words}
    if words:
        line = _word_pattern(frozenset(words)).sub(lambda m: words[m.group(0)], line)
    line = re.sub(r"[“”\"«»„]", "", line)
    line = re.sub(r"\s*[()\[\]]\s*", ", ", line)
    line = re.sub(r"(\d)\s*[–—]\s*(\d)", r"\1 đến \2", line)
    line = re.sub(r"(\d)\s+-\s+(\d)", r"\1 đến \2", line)
    line = re.sub(r"\s+[–—-]\s+", ", ", line)
    return line.replace("…", ".")


def _g2p(line: str) -> str:
    from g2p_hamster.t0 import normalize as g2p_normalize

    try:
        result: dict[str, Any] = g2p_normalize(line)
    except Exception:  # noqa: BLE001 - a rule bug upstream must not stop a bulletin
        return line
    return str(result.get("read_string") or line)


def tidy(line: str, *, space_after: bool = True) -> str:
    """Spaces and punctuation as a speech engine wants them (a space after a stop only once
    g2p-hamster has read "v.v." and "Q.1")."""
    line = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", line)
    line = re.sub(r"\s+", " ", line)
    line = re.sub(r"\s+([,.;:!?])", r"\1", line)
    line = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", line)
    line = re.sub(r"[,;:]\s*([.!?])", r"\1", line)
    line = re.sub(r"([.!?])(?:\s*[.,!?])+", r"\1", line)
    if space_after:
        line = re.sub(r"([,.;:!?])(?=[^\s\d,.;:!?])", r"\1 ", line)
    return line.strip(" ,;:")


def check_text(text: str, *, max_chars: int) -> str:
    """NFC text, or `BadText` for what is not text a bulletin can be made of."""
    text = _nfc(text)
    if len(text) > max_chars:
        raise BadText(f"{len(text)} characters, the limit is {max_chars}")
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    bad -= text.count("\n") + text.count("\t") + text.count("\r")
    if "\x00" in text or bad > max(3, len(text) // 100):
        raise BadText("the text holds control or undefined characters; is it a binary file?")
    return text


def normalise_line(line: str, table: Table | None = None) -> str:
    """One line (a heading or a paragraph) as it is to be spoken; NFC in and out."""
    table = table or load_table()
    line = _nfc(line).replace("\u00a0", " ").replace("\t", " ").strip()
    if not line:
        return ""
    return _nfc(tidy(_g2p(tidy(expand(line, table), space_after=False))))


def normalise(text: str, table: Table | None = None) -> str:
    """A whole text as it is to be spoken, line by line (line breaks kept); NFC in and out."""
    table = table or load_table()
    return "\n".join(normalise_line(line, table) for line in _nfc(text).splitlines())
