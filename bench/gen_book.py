#!/usr/bin/env python3
"""Generates a synthetic imprenta book for benchmarks.

    gen_book.py N OUT_DIR [--size BYTES] [--seed S]

OUT_DIR receives book.toml, content/ with N essays of about 20 KB of Spanish-like Markdown
each (front matter, headings, emphasis, links between essays, lists, a table, a quote, a code
block, footnotes) and assets/banners/NNNN.png, one small PNG banner per essay.

Standard library only and deterministic: the same arguments give the same bytes (a seeded
PRNG per essay, no clock, no environment). Essay i does not depend on N, so the first 200
essays of a 1000-essay book are the 200-essay book.
"""

import argparse
import os
import random
import struct
import sys
import unicodedata
import zlib

# ---- vocabulary --------------------------------------------------------------------------------

NOUNS = """
imprenta libro página letra tipo prensa papel tinta molde matriz punzón taller oficio maestro
aprendiz cajista componedor galera pliego cuaderno encuadernación lectura lector escritura
autor obra texto palabra frase párrafo capítulo margen línea columna renglón espacio blanco
justificación división sílaba guion acento tilde mayúscula minúscula cursiva versalita negrita
fuente familia cuerpo interlineado medida formato edición ejemplar tirada volumen colección
biblioteca archivo catálogo índice nota apéndice prólogo epílogo dedicatoria portada colofón
ciudad reino república universidad iglesia convento monasterio mercado puerto camino río
montaña siglo año época tiempo historia memoria costumbre tradición idea razón pensamiento
conocimiento ciencia arte técnica máquina herramienta instrumento invención descubrimiento
comercio dinero precio coste ganancia privilegio licencia censura ley decreto tribunal
inquisición rey reina príncipe obispo mercader impresor librero editor traductor corrector
gramática ortografía diccionario lengua idioma castellano latín griego árabe hebreo
pantalla dispositivo archivo programa código algoritmo lector electrónico red mensaje
señal número cifra cálculo medida proporción equilibrio armonía belleza forma figura
imagen grabado dibujo madera cobre plomo estaño antimonio hierro acero agua fuego aire
luz sombra noche mañana tarde invierno verano primavera otoño calle plaza casa puerta
ventana mesa silla estante caja cajón hoja tapa lomo costura hilo cola pergamino vitela
""".split()

ADJECTIVES = """
antiguo moderno nuevo viejo grande pequeño largo corto ancho estrecho alto bajo claro
oscuro limpio sucio rápido lento fácil difícil sencillo complejo útil inútil común raro
público privado popular culto sagrado profano español europeo italiano alemán francés
flamenco veneciano castellano catalán andaluz latino tipográfico gráfico mecánico
manual digital electrónico impreso manuscrito ilustrado encuadernado justificado
legible ilegible hermoso elegante sobrio austero riguroso preciso exacto cuidadoso
paciente minucioso célebre famoso desconocido olvidado perdido recuperado único
múltiple idéntico distinto parecido propio ajeno necesario posible probable evidente
profundo superficial breve extenso denso ligero pesado caro barato rico pobre
""".split()

VERBS = """
imprime compone corrige lee escribe copia traduce publica vende compra guarda ordena
divide justifica mide cuenta explica narra recuerda olvida descubre inventa fabrica
funde talla graba estampa dobla cose encuaderna reparte llega sale cambia transforma
mejora empeora conserva pierde gana ofrece exige permite prohíbe obliga enseña aprende
sostiene afirma niega duda pregunta responde describe muestra oculta revela anuncia
acompaña sigue precede sustituye reúne separa une mezcla distingue reconoce
""".split()

ADVERBS = """
siempre nunca todavía ya pronto tarde lentamente rápidamente cuidadosamente apenas
casi también tampoco además incluso quizá acaso sin_embargo así bien mal mejor peor
""".split()

CONNECTORS = [
    "y", "pero", "aunque", "porque", "mientras", "cuando", "donde", "como", "sino que",
    "de modo que", "ya que", "puesto que", "así que", "a pesar de que", "hasta que",
]

PREPOSITIONS = ["de", "en", "con", "sin", "sobre", "entre", "hacia", "desde", "para", "por",
                "ante", "tras", "según", "durante", "mediante"]

DETERMINERS = ["el", "la", "un", "una", "este", "esta", "aquel", "aquella", "cada", "otro",
               "otra", "su", "nuestro", "nuestra", "ningún", "cualquier"]

LANGS = ["python", "c", "toml", "text", "json"]

# ---- text generators ---------------------------------------------------------------------------


def noun_phrase(rng):
    parts = [rng.choice(DETERMINERS), rng.choice(NOUNS)]
    if rng.random() < 0.5:
        parts.append(rng.choice(ADJECTIVES))
    if rng.random() < 0.3:
        parts += [rng.choice(PREPOSITIONS), rng.choice(NOUNS)]
    return parts


def clause(rng):
    words = noun_phrase(rng)
    if rng.random() < 0.3:
        words.append(rng.choice(ADVERBS).replace("_", " "))
    words.append(rng.choice(VERBS))
    words += noun_phrase(rng)
    if rng.random() < 0.4:
        words += [rng.choice(PREPOSITIONS)] + noun_phrase(rng)
    return words


class Essay:
    """Plans one essay: its file name, title and section headings (needed by links to it)."""

    def __init__(self, index, seed):
        self.index = index
        self.rng = random.Random(seed * 1000003 + index)
        self.file = "ensayo-%04d.md" % (index + 1)
        self.title = "%s %s" % (self.rng.choice(NOUNS).capitalize(),
                                " ".join(noun_phrase(self.rng)[1:]))
        self.sections = []
        used = set()
        for _ in range(self.rng.randint(5, 7)):
            while True:
                h = " ".join(noun_phrase(self.rng)).capitalize()
                hid = slug(h)
                if hid not in used:
                    break
            used.add(hid)
            self.sections.append((h, hid))


def slug(text):
    """imprenta's heading id: lowercase ASCII, accents dropped, other runs become one '-'."""
    out, dash = [], False
    for ch in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.combining(ch):
            continue
        if ch.isascii() and ch.isalnum():
            if dash and out:
                out.append("-")
            out.append(ch)
            dash = False
        elif ch != "'":
            dash = True
    s = "".join(out)
    return s if s[:1].isalpha() else "h-" + s


class Writer:
    def __init__(self, essay, plans):
        self.e = essay
        self.rng = essay.rng
        self.plans = plans
        self.notes = 0
        self.max_notes = self.rng.randint(2, 4)
        self.out = []

    def inline_sentence(self):
        rng = self.rng
        words = clause(rng)
        while rng.random() < 0.45:
            words += [rng.choice(CONNECTORS)] + clause(rng)
        words[0] = words[0].capitalize()
        # Decorate a few words or short runs.
        i = 1
        while i < len(words) - 1:
            r = rng.random()
            if r < 0.035:
                words[i] = "*%s*" % words[i]
            elif r < 0.055:
                words[i] = "**%s %s**" % (words[i], words[i + 1])
                del words[i + 1]
            elif r < 0.065:
                words[i] = "`%s_%s()`" % (words[i].lower(), rng.randint(1, 99))
            elif r < 0.072:
                words[i] = "[%s](https://example.org/%s/%d)" % (words[i], slug(words[i]),
                                                                rng.randint(1, 999))
            elif r < 0.080:
                # Links go backwards (or to this essay) so that essay i never depends on N.
                other = self.plans[rng.randrange(self.e.index + 1)]
                _, hid = rng.choice(other.sections)
                words[i] = "[%s](%s#%s)" % (words[i], other.file, hid)
            i += 1
        s = " ".join(words)
        if rng.random() < 0.2:
            s = s.replace(" " + words[len(words) // 2], ", " + words[len(words) // 2], 1)
        s += "…" if rng.random() < 0.1 else "."
        if self.notes < self.max_notes and rng.random() < 0.04:
            self.notes += 1
            s += "[^%d]" % self.notes
        return s

    def paragraph(self, n=None):
        n = n or self.rng.randint(3, 7)
        return " ".join(self.inline_sentence() for _ in range(n))

    def short(self):
        words = clause(self.rng)[: self.rng.randint(3, 8)]
        words[0] = words[0].capitalize()
        return " ".join(words)

    def emit(self, text=""):
        self.out.append(text)

    def bullet_list(self, ordered):
        rng = self.rng
        for k in range(rng.randint(3, 6)):
            mark = "%d." % (k + 1) if ordered else "-"
            self.emit("%s %s" % (mark, self.short() + ("" if rng.random() < 0.5 else
                                                       ": " + self.short().lower()) + "."))
            if rng.random() < 0.25:
                ind = " " * (len(mark) + 1)
                for j in range(rng.randint(2, 3)):
                    sub = "%d." % (j + 1) if (not ordered and rng.random() < 0.3) else "-"
                    self.emit("%s%s %s." % (ind, sub, self.short()))
        self.emit()

    def table(self):
        rng = self.rng
        cols = rng.randint(3, 4)
        head = [rng.choice(NOUNS).capitalize() for _ in range(cols)]
        self.emit("| " + " | ".join(head) + " |")
        self.emit("|" + "|".join([":---"] + ["---:"] * (cols - 1)) + "|")
        for _ in range(rng.randint(3, 6)):
            row = [" ".join(noun_phrase(rng)[1:3])] + [
                "%d,%02d" % (rng.randint(0, 999), rng.randint(0, 99)) for _ in range(cols - 1)]
            self.emit("| " + " | ".join(row) + " |")
        self.emit()

    def quote(self):
        self.emit("> " + self.paragraph(2))
        if self.rng.random() < 0.5:
            self.emit(">")
            self.emit("> — *%s*" % self.short())
        self.emit()

    def code(self):
        rng = self.rng
        lang = rng.choice(LANGS)
        self.emit("```" + lang)
        for k in range(rng.randint(4, 10)):
            w = [rng.choice(NOUNS) for _ in range(3)]
            self.emit("%s%s = componer(%r, %d)  # %s" % ("    " * (k % 3 == 2), slug(w[0]).replace(
                "-", "_"), w[1], rng.randint(1, 500), w[2]))
        self.emit("```")
        self.emit()

    def write(self, target):
        rng, e = self.rng, self.e
        weight = (e.index + 1) * 10
        desc = self.short() + "."
        if e.index % 2 == 0:
            self.emit("---")
            self.emit('title: "%s"' % e.title)
            self.emit("weight: %d" % weight)
            self.emit("image: banners/%04d.png" % (e.index + 1))
            self.emit('imageAlt: "Banda de color del ensayo %d"' % (e.index + 1))
            self.emit('description: "%s"' % desc)
            self.emit("---")
        else:
            self.emit("+++")
            self.emit('title = "%s"' % e.title)
            self.emit("weight = %d" % weight)
            self.emit('image = "banners/%04d.png"' % (e.index + 1))
            self.emit('imageAlt = "Banda de color del ensayo %d"' % (e.index + 1))
            self.emit('description = "%s"' % desc)
            self.emit("+++")
        self.emit()
        for _ in range(2):
            self.emit(self.paragraph())
            self.emit()
        extras = ["ul", "ol", "table", "quote", "code"]
        rng.shuffle(extras)
        nsec = len(e.sections)
        for s, (title, _) in enumerate(e.sections):
            self.emit("## " + title)
            self.emit()
            budget = target * (s + 1) // nsec
            first = True
            while self.size() < budget or first:
                if not first and rng.random() < 0.35:
                    self.emit("### " + self.short())
                    self.emit()
                self.emit(self.paragraph())
                self.emit()
                first = False
                if extras and rng.random() < 0.5:
                    kind = extras.pop()
                    if kind in ("ul", "ol"):
                        self.emit(self.paragraph(1))
                        self.emit()
                        self.bullet_list(kind == "ol")
                    elif kind == "table":
                        self.table()
                    elif kind == "quote":
                        self.quote()
                    else:
                        self.code()
        for kind in extras:  # whatever did not fit at random still appears once
            {"ul": lambda: self.bullet_list(False), "ol": lambda: self.bullet_list(True),
             "table": self.table, "quote": self.quote, "code": self.code}[kind]()
        while self.notes < 2:
            self.notes += 1
            self.emit(self.paragraph(2) + "[^%d]" % self.notes)
            self.emit()
        for n in range(1, self.notes + 1):
            self.emit("[^%d]: %s" % (n, self.paragraph(rng.randint(1, 2))))
        self.emit()
        return "\n".join(self.out)

    def size(self):
        return sum(len(x.encode("utf-8")) + 1 for x in self.out)


# ---- PNG ---------------------------------------------------------------------------------------


def png(width, height, index):
    """An RGB PNG: a horizontal gradient whose hue comes from the essay index."""
    r0, g0, b0 = (index * 67) % 200 + 30, (index * 131) % 200 + 30, (index * 197) % 200 + 30
    bands = {}  # rows change only every 8 pixels: build each band once
    rows = []
    for y in range(height):
        band = y // 8
        if band not in bands:
            row = bytearray([0])  # filter: none
            for x in range(width):
                t = x * 55 // width
                row += bytes((min(255, r0 + t), min(255, g0 + t + band), min(255, b0 + t)))
            bands[band] = bytes(row)
        rows.append(bands[band])
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


# ---- main --------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of essays")
    ap.add_argument("out", help="output book folder (created)")
    ap.add_argument("--size", type=int, default=20000, help="approximate bytes per essay")
    ap.add_argument("--seed", type=int, default=1440, help="PRNG seed")
    a = ap.parse_args()
    if a.n < 1:
        ap.error("N must be at least 1")
    content = os.path.join(a.out, "content")
    banners = os.path.join(a.out, "assets", "banners")
    os.makedirs(content, exist_ok=True)
    os.makedirs(banners, exist_ok=True)
    plans = [Essay(i, a.seed) for i in range(a.n)]
    total = 0
    for e in plans:
        text = Writer(e, plans).write(a.size)
        data = text.encode("utf-8")
        total += len(data)
        with open(os.path.join(content, e.file), "wb") as f:
            f.write(data)
        with open(os.path.join(banners, "%04d.png" % (e.index + 1)), "wb") as f:
            f.write(png(600, 200, e.index))
    with open(os.path.join(a.out, "book.toml"), "w", encoding="utf-8") as f:
        f.write('title = "Libro de prueba de %d ensayos"\n' % a.n)
        f.write('author = "Generador de imprenta"\n')
        f.write('language = "es"\n')
        f.write('identifier = "urn:uuid:0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"\n')
        f.write('date = "2026"\n')
    print("%s: %d essays, %.1f MB of Markdown" % (a.out, a.n, total / 1e6), file=sys.stderr)


if __name__ == "__main__":
    main()
