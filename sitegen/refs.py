"""What an article's Markdown points at, read from its text with line numbers.

The parse pass runs this on every changed article, so the build knows every
image, attachment and article link before anything is rendered: a dangling one
is an error at its line, photos can be processed ahead of rendering, and a page
is rendered again when something it links to moves. The Markdown renderer
(`mdrefs`) checks it saw no reference this reader missed.

It also estimates the anchor ids the article's headings will get, so that
`other.md#anchor` links can be checked without rendering the other article.
"""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify_unicode

from sitegen.model import Ref

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_OPEN = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:\s*(<[^>]*>|\S+)")
_REF_USE = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\s?\[([^\]]*)\]")
_HTML_REF = re.compile(r"<(img|a|source|video|audio)\b[^>]*?\s(src|href)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)
_ATX = re.compile(r" {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_ATTR_ID = re.compile(r"\{:?[^}]*#([\w:.-]+)[^}]*\}\s*$")
_ATTR_IDS = re.compile(r"\{:?[^}\n]*#([\w:.-]+)[^}\n]*\}[ \t]*$", re.M)
_HTML_ID = re.compile(r"\s(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.I)
_FOOTNOTE = re.compile(r"^ {0,3}\[\^([^\]]+)\]:", re.M)
_INLINE_LINK = re.compile(r"!?\[((?:[^\[\]\\]|\\.)*)\]\([^)]*\)")
_MARKUP = re.compile(r"<[^>]+>|[*_`~]|\{:?[^}]*\}\s*$")


def _destination(text: str, start: int) -> tuple[str, bool] | None:
    """The link destination of `](...)` starting at text[start] == '(', as Python-Markdown reads it."""
    i = start + 1
    while i < len(text) and text[i] in " \t":
        i += 1
    if i < len(text) and text[i] == "<":
        end = text.find(">", i)
        return (text[i + 1:end], bool(text[end + 1:].split(")", 1)[0].strip())) if end != -1 else None
    depth, j = 0, i
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    else:
        return None
    inner = text[i:j]
    # A title follows the destination after a space: "target "title"" or 'title' or (title).
    titled = re.match(r"(.*?)\s+(\"[^\"]*\"|'[^']*'|\([^)]*\))\s*$", inner, re.S)
    return (titled.group(1) if titled else inner).strip(), bool(titled and titled.group(2)[1:-1].strip())


def _lines(body: str, blank_code: bool = True) -> list[tuple[int, str]]:
    """Body lines outside fenced code, with inline code spans blanked out unless not `blank_code`."""
    out = []
    fence = ""
    for n, line in enumerate(body.split("\n")):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        blank = blank_code and "`" in line
        out.append((n, _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if blank else line))
    return out


def extract(body: str, body_line: int) -> tuple[Ref, ...]:
    """Every reference in the body, in order; `body_line` is the file line the body starts on."""
    if "](" not in body and "]:" not in body and "<" not in body and "][" not in body:
        return ()  # most news articles link to nothing: skip the line-by-line reading
    refs: list[Ref] = []
    definitions: dict[str, tuple[str, int]] = {}
    image_labels: set[str] = set()
    lines = _lines(body)
    for n, line in lines:
        if "[" in line:
            definition = _DEFINITION.match(line)
            if definition:
                target = definition.group(2)
                target = target[1:-1] if target.startswith("<") else target
                definitions.setdefault(definition.group(1).strip().lower(), (target, body_line + n))
                continue
            for m in _OPEN.finditer(line):
                if m.end() < len(line) and line[m.end()] == "(":
                    found = _destination(line, m.end())
                    if found is not None:
                        image = bool(m.group(1))
                        described = not image or found[1] or bool(m.group(2).strip())
                        refs.append(Ref(found[0], body_line + n, image, described=described))
            for m in _REF_USE.finditer(line):
                if m.group(1):
                    image_labels.add((m.group(3) or m.group(2)).strip().lower())
        if "<" in line:
            for m in _HTML_REF.finditer(line):
                value = m.group(3).strip("\"'")
                refs.append(Ref(value, body_line + n, m.group(1).lower() != "a", raw_html=True))
    refs.extend(Ref(target, line, label in image_labels) for label, (target, line) in definitions.items())
    return tuple(sorted(refs, key=lambda r: r.line))


def anchors(body: str) -> tuple[str, ...]:
    """The ids a reader can link to: headings (as `markup._HeadingIds` makes them), footnotes, explicit ids.

    Whole-body regexes, not a loop over lines: this runs on every article of a build.
    """
    text = _unfenced(body)
    ids: list[str] = []
    used: set[str] = set()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        first = line.lstrip(" ")[:1]
        if first == "#":
            m = _ATX.match(line)
            heading = m.group(1) if m else None
        elif first in ("=", "-") and i and lines[i - 1].strip() and (i == 1 or not lines[i - 2].strip()) \
                and not lines[i - 1].lstrip().startswith("#") and _SETEXT.match(line):
            heading = lines[i - 1].strip()  # setext: underlines the first line of a block
        else:
            continue
        if heading is None:
            continue
        explicit = _ATTR_ID.search(heading) if "{" in heading else None
        ident = explicit.group(1) if explicit else slugify_unicode(_plain(heading), "-") or "section"
        base, k = ident, 1
        while ident in used:
            ident = f"{base}_{k}"
            k += 1
        used.add(ident)
        ids.append(ident)
    if "{" in text:
        ids += _ATTR_IDS.findall(text)
    if "id" in text or "name" in text:
        ids += _HTML_ID.findall(text)
    for label in _FOOTNOTE.findall(text):
        ids += [f"fn:{label}", f"fnref:{label}"]
    return tuple(dict.fromkeys(ids))


def _unfenced(body: str) -> str:
    """The body without its fenced code blocks: a `# comment` in a shell snippet is no heading."""
    if "```" not in body and "~~~" not in body:
        return body
    return "\n".join(line for _, line in _lines(body, blank_code=False))


def _plain(text: str) -> str:
    """Heading text as a reader sees it: link text kept, markup dropped."""
    text = _INLINE_LINK.sub(lambda m: "" if m.group(0).startswith("!") else m.group(1), text)
    return _MARKUP.sub("", text).strip()
