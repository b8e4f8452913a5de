"""Photo sets, photo corpora and the Hugo photo site for bench/photos.py, all under bench/.work.

Photos come from the shared gen_photos.py, generated once per set into
bench/.work/photos-cache and hard-linked into corpora, so a 300-photo corpus
costs no new generation and almost no disk.  Nothing here ever writes
through such a link: edits replace the file (os.replace) instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import corpus as cp

GEN_TIMEOUT_S = 3 * 3600
CAPTION = "图为……"
SET_RE = re.compile(r"n(\d+)-heic(\d+)-seed(\d+)")
EDIT_SENTENCE = "\n\n基准测试:本段为只改文字的一次修改,图片不变。\n"


@dataclass
class PhotoSet:
    folder: Path
    jpegs: list[Path]
    heics: list[Path]


def ensure_photos(shared: Path, cache: Path, n: int, heic: int = 0, seed: int = 1) -> PhotoSet:
    """The first n JPEGs (and heic HEICs) of `gen_photos.py --seed seed`, generating them only if needed.

    gen_photos draws every JPEG before any HEIC from one random stream, so the
    first n JPEGs of a larger set are the same files as a set of n: any complete
    set with enough of both is reused.
    """
    for folder in sorted(cache.glob("n*-heic*-seed*")):
        m = SET_RE.fullmatch(folder.name)
        if m and int(m[1]) >= n and int(m[2]) >= heic and int(m[3]) == seed:
            return _photo_set(folder, n, heic)
    folder = cache / f"n{n}-heic{heic}-seed{seed}"
    partial = folder.with_name(folder.name + ".partial")  # a killed run never looks complete
    shutil.rmtree(partial, ignore_errors=True)
    print(f"[photos] generating {n} photos and {heic} HEIC into {folder} (about 4 s each)", file=sys.stderr)
    cmd = [sys.executable, str(shared / "gen_photos.py"), "--n", str(n), "--heic", str(heic)]
    subprocess.run([*cmd, "--seed", str(seed), "--out", str(partial)], check=True, timeout=GEN_TIMEOUT_S)
    partial.rename(folder)
    return _photo_set(folder, n, heic)


def _photo_set(folder: Path, n: int, heic: int) -> PhotoSet:
    return PhotoSet(folder, sorted(folder.glob("photo-*.jpg"))[:n], sorted(folder.glob("iphone-*.heic"))[:heic])


def _link(src: Path, dest: Path) -> None:
    """Hard link (a copy across file systems); never a symlink, which sitegen refuses to follow out of the site."""
    dest.unlink(missing_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def photo_markdown(k: int) -> str:
    return f'![图片说明]({photo_name(k)} "{CAPTION}")'


def photo_name(k: int) -> str:
    return f"photo{k}.jpg"


def with_photos(body: str, count: int) -> str:
    """The article body with `count` image paragraphs spread between its paragraphs."""
    head, sep, rest = body.partition("\n---\n")  # front matter ends at the second '---' line
    paras = rest.split("\n\n")
    for k in range(count, 0, -1):  # from the last, so earlier insert points stay valid
        at = min(len(paras), 1 + 2 * (k - 1))
        paras.insert(at, photo_markdown(k))
    return head + sep + "\n\n".join(paras)


def photo_corpus(work: Path, flat: Path, photos: list[Path], every: int, per_article: int) -> tuple[Path, list[Path]]:
    """Copy the flat corpus; every `every`-th article becomes `<slug>/index.md` with its own photos.

    Returns the corpus and its folder articles.  Articles are copied, not linked:
    the text edit appends to one of them.
    """
    names = sorted(p.name for p in flat.glob("*.md"))
    wanted = (len(names) + every - 1) // every * per_article
    if len(photos) < wanted:
        raise SystemExit(f"need {wanted} photos, have {len(photos)}")
    dest = work / "corpus" / f"photos-{len(names)}-every{every}-p{per_article}"
    _restore_interrupted(dest)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    folders: list[Path] = []
    for i, name in enumerate(names):
        text = (flat / name).read_text(encoding="utf-8")
        if i % every:
            (dest / name).write_text(text, encoding="utf-8")
            continue
        folder = dest / name.removesuffix(".md")
        folder.mkdir()
        (folder / "index.md").write_text(with_photos(text, per_article), encoding="utf-8")
        for k in range(1, per_article + 1):
            _link(photos[len(folders) * per_article + k - 1], folder / photo_name(k))
        folders.append(folder)
    return dest, folders


def photo_bundles(work: Path, photos: list[Path], per_bundle: int) -> Path:
    """Hugo content for part 2: content/posts/<name>/index.md with `per_bundle` photos each."""
    content = work / f"hugo-bundles-{len(photos)}" / "content"
    shutil.rmtree(content.parent, ignore_errors=True)
    for b in range(0, len(photos), per_bundle):
        folder = content / "posts" / f"p-{b // per_bundle:03d}"
        folder.mkdir(parents=True)
        group = photos[b : b + per_bundle]
        body = "\n\n".join(["图片新闻正文。", *(photo_markdown(k + 1) for k in range(len(group)))])
        front = f'---\ntitle: "图片新闻 {b // per_bundle}"\ndate: 2024-05-01 09:00:00\n---\n\n'
        (folder / "index.md").write_text(front + body + "\n", encoding="utf-8")
        for k, photo in enumerate(group, start=1):
            _link(photo, folder / photo_name(k))
    return content


def hugo_site(work: Path, name: str, layouts: Path) -> Path:
    """A Hugo --source dir whose layouts/ links to bench/photo_peers/hugo/layouts."""
    site = work / name
    site.mkdir(parents=True, exist_ok=True)
    link = site / "layouts"
    if not (link.is_symlink() and Path(os.readlink(link)) == layouts):
        link.unlink(missing_ok=True)
        link.symlink_to(layouts)
    return site


def _backup(path: Path) -> Path:
    # Beside the corpus, outside the content dir, so no tool reads it; restored on the next run if we die.
    corpus = path.parent.parent
    return corpus.parent / f"{corpus.name}--{path.parent.name}--{path.name}.orig"


@contextmanager
def text_edit(folder: Path) -> Iterator[Path]:
    """Append a sentence to a folder article's index.md; its photos stay untouched."""
    article = folder / "index.md"
    backup = _backup(article)
    shutil.copy2(article, backup)
    try:
        with open(article, "a", encoding="utf-8") as fh:  # index.md is a copy, not a link: safe to append
            fh.write(EDIT_SENTENCE)
        yield article
    finally:
        os.replace(backup, article)


@contextmanager
def photo_change(folder: Path, k: int = 2) -> Iterator[Path]:
    """Replace one photo of a folder article with a retouched version (new pixels, same EXIF)."""
    from PIL import Image, ImageDraw

    photo = folder / photo_name(k)
    backup = _backup(photo)
    _link(photo, backup)
    fresh = photo.with_name(".retouched.jpg")
    with Image.open(photo) as im:
        exif = im.getexif()
        img = im.convert("RGB")
    ImageDraw.Draw(img).rectangle((100, 100, 900, 600), fill=(200, 30, 30))  # an editor's red box
    img.save(fresh, "JPEG", quality=92, exif=exif)
    os.replace(fresh, photo)  # a new inode: the hard-linked original in the photo cache is untouched
    try:
        yield photo
    finally:
        os.replace(backup, photo)


def _restore_interrupted(corpus: Path) -> None:
    for backup in corpus.parent.glob(f"{corpus.name}--*.orig"):
        folder, name = backup.name.removesuffix(".orig").split("--")[1:]
        if (corpus / folder).is_dir():
            os.replace(backup, corpus / folder / name)


def probe_site(work: Path, repo: Path, categories: list[str], photo: Path) -> Path:
    """A one-article site whose only article is a folder with one photo: does sitegen render it?"""
    content = work / "probe-content"
    shutil.rmtree(content, ignore_errors=True)
    folder = content / "a-probe"
    folder.mkdir(parents=True)
    front = f"---\ntitle: 探针\ndate: 2024-05-01 09:00:00\nslug: a-probe\ncategory: {categories[0]}\n---\n\n"
    body = f"{front}正文。\n\n{photo_markdown(1)}\n"
    (folder / "index.md").write_text(body, encoding="utf-8")
    _link(photo, folder / photo_name(1))
    return cp.make_sitegen_site(work, repo, content, categories)
