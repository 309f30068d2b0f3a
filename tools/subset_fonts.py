"""Make the share images' fonts: Noto Sans CJK KR (SIL OFL 1.1), Regular and Bold,
subset to what a title or date of ours can hold (Latin, punctuation, Hangul), into
``generator/site/fonts/``.

Why vendored: a user who only pip-installs the tool has no Korean font, and no package on
PyPI that is kept ships Noto Sans CJK or Nanum in a small form; the full collection is
19 MB a weight, the subset well under 2 MB. The source is Debian's ``fonts-noto-cjk``
(1:20220127+repack1-1; the hashes below), read where that package puts it. Run it again
with the same source and fontTools (``pip install fonttools==4.68.0``) and the files come
out byte for byte the same (sha256 of Regular 53dff1e6…, of Bold ea2aead8…):

    python tools/subset_fonts.py
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCES = {
    "Regular": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a"),
    "Bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
             "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb"),
}
RANGES = [
    (0x20, 0x7E), (0xA0, 0x24F),  # Latin, Latin-1, Latin Extended-A and -B
    (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2190, 0x2193),  # punctuation, currency, arrows
    (0x3000, 0x303F), (0x3131, 0x318E),  # CJK punctuation, Hangul compatibility jamo
    (0xAC00, 0xD7A3),  # every Hangul syllable
    (0xFF01, 0xFF5E),  # full-width forms
]
OUT = Path(__file__).resolve().parent.parent / "generator" / "site" / "fonts"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for weight, (path, sha) in SOURCES.items():
        data = Path(path).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            sys.exit(f"{path}: not the font this script was made for (sha256 differs)")
        fonts = TTCollection(path).fonts
        font = next(f for f in fonts if f["name"].getDebugName(1) == "Noto Sans CJK KR")
        options = subset.Options()
        options.name_IDs = ["*"]  # keep the copyright and licence names
        options.name_languages = ["*"]
        options.layout_features = ["kern", "liga", "locl", "palt", "vert"]
        options.hinting = False
        options.desubroutinize = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[c for start, end in RANGES for c in range(start, end + 1)])
        subsetter.subset(font)
        font["head"].modified = font["head"].created  # no time of making in the file,
        font.recalcTimestamp = False  # not even the one fontTools sets when saving
        target = OUT / f"NotoSansKR-{weight}-subset.otf"
        font.save(target)
        print(target, target.stat().st_size)


if __name__ == "__main__":
    main()
