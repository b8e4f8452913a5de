"""The cleaned body as Markdown (markdownify), with the fixes Chinese CMS markup needs."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

_HARD_BREAKS = re.compile(r"(?:[ \t]{2,}\n[ \t\u3000\xa0]*){2,}")  # <br><br>: a paragraph break
_INDENT = re.compile(r"^[ \t\u3000\xa0]+")
_TOKEN = "SITEGENHTMLTABLE{}X"


# Text that would start a heading, list or quote once it opens a line: Python-Markdown takes
# "#标题" as a heading, with no blank after the hash. Escaping it mid-line is harmless.
_LINE_START = re.compile(r"^([\s\u3000\xa0]*)(#|>|[-+*](?=\s)|\d+(?=\.\s))")


class _Converter(MarkdownConverter):
    def escape(self, text: str, parent_tags: set[str]) -> str:  # type: ignore[override]
        text = super().escape(text, parent_tags)
        match = _LINE_START.match(text)
        if not match or "pre" in parent_tags or "code" in parent_tags:
            return text
        lead, mark = match.groups()
        return lead + (mark + "\\" if mark[0].isdigit() else "\\" + mark) + text[match.end():]

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:  # type: ignore[override]
        # markdownify leaves out a title that is empty; alt falls back to the caption in sitegen.
        alt = (el.get("alt") or "").strip()
        if re.fullmatch(r"[\w.-]+\.(?:jpe?g|png|gif|bmp|webp)", alt, re.IGNORECASE):
            alt = ""  # DedeCMS writes the file name as alt: no help to a reader who cannot see the photo
        src = str(el.get("src") or "")
        title = str(el.get("title") or "").replace('"', "“")
        return f"![{alt}]({src}" + (f' "{title}"' if title else "") + ")"


def _complex(table: Tag) -> bool:
    """A table Markdown cannot say: merged cells, or cells holding paragraphs, lists, photos or tables."""
    return any(cell.get("colspan") or cell.get("rowspan") or cell.find(["p", "br", "img", "table", "ul", "ol", "div"])
               for cell in table.find_all(["td", "th"]))


def _attrs(cell: Tag) -> str:
    return "".join(f' {k}="{v}"' for k, v in cell.attrs.items())


def _html_table(table: Tag) -> str:
    """A complex table kept as HTML (sitegen sanitises and shows it), one line per row for diffs."""
    rows = []
    for tr in table.find_all("tr"):
        cells = "".join(f"<{c.name}{_attrs(c)}>{c.decode_contents().strip()}</{c.name}>"
                        for c in tr.find_all(["td", "th"]))
        rows.append(f"<tr>{cells}</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _tidy(md: str) -> str:
    md = _HARD_BREAKS.sub("\n\n", md.replace("\r", ""))
    lines = []
    for line in md.split("\n"):
        hard = line.endswith("  ") and line.strip()
        line = _INDENT.sub("", line).rstrip().replace("\xa0", " ")
        lines.append(line + "  " if hard else line)
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", "\n".join(lines))]
    out = []
    for block in blocks:
        block = re.sub(r"^(?:\s*\n)+|[ \t]+$", "", block).strip()
        if block:
            out.append(block.rstrip())
    return "\n\n".join(out) + "\n" if out else ""


def to_markdown(body: Tag, convert: str = "markdownify") -> str:
    """Markdown for a cleaned body; `convert="html2text"` is the alternative the choice was measured against."""
    soup = BeautifulSoup(body.decode_contents(), "html.parser")
    kept: list[str] = []
    for table in soup.find_all("table"):
        if table.find_parent("table") is None and _complex(table):
            kept.append(_html_table(table))
            table.replace_with(soup.new_string(f"\n\n{_TOKEN.format(len(kept) - 1)}\n\n"))
    html = str(soup)
    if convert == "html2text":
        import html2text  # measured alternative only; not a dependency

        h = html2text.HTML2Text()
        h.body_width = 0
        h.ignore_emphasis = False
        md = h.handle(html)
    else:
        md = _Converter(heading_style="ATX", bullets="-", escape_misc=False, newline_style="SPACES", autolinks=False,
                         table_infer_header=True).convert(html)
    md = _tidy(md)
    for i, table in enumerate(kept):
        md = md.replace(_TOKEN.format(i), table)
    return md
