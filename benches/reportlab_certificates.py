#!/usr/bin/env python3
"""Reference for the certificate benchmark (dev-only): reportlab draws the same certificates
ScoreDesk prints — A4 landscape, double border, spaced title, school, name on a line, wrapped
wording, organiser, date, serial — with a CJK TrueType font (reportlab needs TrueType outlines).

Usage: reportlab_certificates.py AWARDS.csv FONT.ttf OUT.pdf [TITLE] [ORGANISER]
AWARDS.csv is ScoreDesk's 公示名单.csv (`scoredesk export csv FILE --out DIR`).
Needs: pip install reportlab
"""
import csv
import sys
import time

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas


def wrap(text, font, size, width, indent):
    """Greedy character wrap (Chinese), first line indented."""
    lines, line, offset = [], "", indent
    for ch in text:
        if line and offset + pdfmetrics.stringWidth(line + ch, font, size) > width and ch not in "，。":
            lines.append((offset, line))
            line, offset = ch, 0
        else:
            line += ch
    lines.append((offset, line))
    return lines


def fit(text, font, size, width):
    w = pdfmetrics.stringWidth(text, font, size)
    return size if w <= width else size * width / w * 0.999


def main():
    src, font_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
    title = sys.argv[4] if len(sys.argv) > 4 else "吕梁市第二届中小学教师教学技能大赛"
    organiser = sys.argv[5] if len(sys.argv) > 5 else "吕梁市教育局"
    start = time.perf_counter()
    with open(src, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    pdfmetrics.registerFont(TTFont("CJK", font_path))
    W, H = landscape(A4)
    c = canvas.Canvas(out, pagesize=(W, H))
    gold, red = HexColor("#b8860b"), HexColor("#b22222")
    date = "2025年11月16日"
    for r in rows:
        top = lambda y: H - y * mm  # noqa: E731  (mm from the top)
        c.setStrokeColor(gold)
        c.setLineWidth(2.2)
        c.rect(10 * mm, 10 * mm, W - 20 * mm, H - 20 * mm)
        c.setLineWidth(0.7)
        c.rect(13 * mm, 13 * mm, W - 26 * mm, H - 26 * mm)
        c.setFillColor(red)
        t = c.beginText()
        t.setFont("CJK", 46)
        t.setCharSpace(23)
        tw = pdfmetrics.stringWidth("荣誉证书", "CJK", 46) + 23 * 3
        t.setTextOrigin((W - tw) / 2, top(47))
        t.textOut("荣誉证书")
        t.setCharSpace(0)
        c.drawText(t)
        c.setFillColor(HexColor("#000000"))
        s = fit(r["单位"], "CJK", 16, 207 * mm)
        c.setFont("CJK", s)
        c.drawString(45 * mm, top(69), r["单位"])
        s = fit(r["姓名"], "CJK", 28, 70 * mm)
        c.setFont("CJK", s)
        c.drawCentredString(80 * mm, top(85.5), r["姓名"])
        c.setStrokeColor(HexColor("#000000"))
        c.setLineWidth(0.8)
        c.line(45 * mm, top(90), 115 * mm, top(90))
        c.setFont("CJK", 20)
        c.drawString(117 * mm, top(85.5), "老师：")
        event = "综合" if r["项目"] == "综合" else r["项目"]
        body = f"在{title}中，荣获{r['学段学科']}组{event}{r['获奖等次']}。"
        y = 105
        for offset, line in wrap(body, "CJK", 20, 207 * mm, 40) + [(40, "特发此证，以资鼓励。")]:
            c.drawString(45 * mm + offset, top(y), line)
            y += 12.7
        c.setFont("CJK", 16)
        c.drawCentredString(215 * mm, top(153), organiser)
        c.drawCentredString(215 * mm, top(165), date)
        c.setFont("CJK", 10)
        c.setFillColor(HexColor("#555555"))
        c.drawString(30 * mm, top(185), "证书编号：" + r["证书编号"])
        c.showPage()
    c.save()
    print(f"reportlab: {len(rows)} pages in {time.perf_counter() - start:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
