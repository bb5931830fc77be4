use printpdf::*;

#[test]
fn experiment_font() {
    let t = std::time::Instant::now();
    let mut w = Vec::new();
    let font = ParsedFont::from_bytes(scoredesk::report::font::CJK_FONT, 0, &mut w).expect("parse");
    eprintln!("parse {:?} warnings {}", t.elapsed(), w.len());
    for c in ['金', '𬭎', '䶮', '·', 'A', '\u{E000}', '堃'] {
        let g = font.lookup_glyph_index(c as u32);
        eprintln!("{c:?} -> {g:?} adv {:?} upm {}", g.map(|g| font.get_horizontal_advance(g)), font.font_metrics.units_per_em);
    }
    let mut doc = PdfDocument::new("exp");
    let fid = doc.add_font(&font);
    let mut pages = Vec::new();
    let t = std::time::Instant::now();
    for i in 0..1000 {
        let mut ops = vec![];
        for (j, s) in ["荣誉证书", "金𬭎 王䶮 阿依古丽·买买提", &format!("证书编号 2025-E05-{i:04}")].iter().enumerate() {
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont { font: PdfFontHandle::External(fid.clone()), size: Pt(24.0) });
            ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(100.0), Pt(400.0 - 60.0 * j as f32)) });
            ops.push(Op::ShowText { items: vec![TextItem::Text(s.to_string())] });
            ops.push(Op::EndTextSection);
        }
        pages.push(PdfPage::new(Mm(297.0), Mm(210.0), ops));
    }
    doc.with_pages(pages);
    let bytes = doc.save(&PdfSaveOptions::default(), &mut Vec::new());
    eprintln!("save {:?} {} bytes", t.elapsed(), bytes.len());
    std::fs::write("/tmp/rx/exp.pdf", bytes).unwrap();
}
