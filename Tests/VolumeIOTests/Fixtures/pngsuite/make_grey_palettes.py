"""Writes the two grey-palette fixtures with pypng 0.20220715 (an encoder independent of libpng).

xpal0g08.png: the pixels of basn0g08.png as indices into a 256-entry grey palette in shuffled order
(entry i holds grey (37 i + 11) mod 256), so index and value differ everywhere.
xpal0g04.png: the pixels of basn0g04.png (4-bit, values 0..15) as indices into a 17-entry palette: the 16 greys
17 v in shuffled order plus one red entry that no pixel uses.
Expected values: basn0g08.sng and basn0g04.sng (whose pixels Go's authors already scaled to 8 bits).
"""
import png

def grey_pixels(name, bitdepth):
    _, _, rows, info = png.Reader(filename=name).read()
    assert info["bitdepth"] == bitdepth and info["greyscale"]
    return [list(r) for r in rows]

def write(name, rows, palette, grey_to_index):
    indexed = [[grey_to_index[v] for v in r] for r in rows]
    w = png.Writer(len(rows[0]), len(rows), palette=palette, bitdepth=8)
    with open(name, "wb") as f:
        w.write(f, indexed)

greys = [(37 * i + 11) % 256 for i in range(256)]
write("xpal0g08.png", grey_pixels("basn0g08.png", 8), [(g, g, g) for g in greys],
      {g: i for i, g in enumerate(greys)})

order = [(5 * i + 3) % 16 for i in range(16)]
palette = [(255, 0, 0)] + [(17 * v, 17 * v, 17 * v) for v in order]
write("xpal0g04.png", grey_pixels("basn0g04.png", 4), palette, {v: i + 1 for i, v in enumerate(order)})
