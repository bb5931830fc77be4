//! Join cards (扫码打分卡): one card per judge with a QR code of the judge's join link (the
//! master's address and the judge's secret token), the judge's name and panels — printed, cut
//! and handed out with the PIN slips. Eight cards on an A4 page.

use std::path::Path;

use super::layout::{
    Align, Color, Furniture, Item, Orientation, Page, Style, fit_in_box, stamp_footers,
};
use super::{Document, FontSearch, Fonts, ReportError, pdf, write};
use crate::clock;

/// One card: judge id, name, panels (event names), the join URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinCard {
    pub judge: String,
    pub name: String,
    pub panels: String,
    pub url: String,
}

/// The dark modules of a QR code of `text`, row by row (`None` if it does not fit a QR code).
pub fn qr_modules(text: &str) -> Option<Vec<Vec<bool>>> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let w = code.width();
    let colors = code.to_colors();
    Some(
        colors
            .chunks(w)
            .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
            .collect(),
    )
}

const CARD_W: f32 = 95.0;
const CARD_H: f32 = 66.0;
const LEFT: f32 = 10.0;
const TOP: f32 = 14.0;

fn card_items(fonts: &Fonts, card: &JoinCard, x: f32, y: f32, items: &mut Vec<Item>) {
    items.push(Item::Rect {
        x,
        y,
        w: CARD_W,
        h: CARD_H,
        stroke: Some((0.3, Color::rgb(150, 150, 150))),
        fill: None,
    });
    // The QR code (with its quiet zone) on the left.
    let side = 46.0;
    let (qx, qy) = (x + 4.0, y + (CARD_H - side) / 2.0);
    if let Some(modules) = qr_modules(&card.url) {
        let n = modules.len() as f32 + 8.0;
        let m = side / n;
        for (r, row) in modules.iter().enumerate() {
            for (c, dark) in row.iter().enumerate() {
                if *dark {
                    items.push(Item::Rect {
                        x: qx + (c as f32 + 4.0) * m,
                        y: qy + (r as f32 + 4.0) * m,
                        w: m + 0.02,
                        h: m + 0.02,
                        stroke: None,
                        fill: Some(Color::BLACK),
                    });
                }
            }
        }
    }
    let tx = qx + side + 3.0;
    let tw = x + CARD_W - tx - 3.0;
    let mut line = |text: &str, top: f32, h: f32, size: f32, bold: bool| {
        let mut style = Style::new(size);
        style.bold = bold;
        items.push(Item::Text(fit_in_box(
            fonts,
            text,
            (tx, y + top, tw, h),
            Align::Left,
            style,
        )));
    };
    line("扫码打分", 6.0, 8.0, 14.0, true);
    line(
        &format!("{} {}", card.judge, card.name),
        17.0,
        8.0,
        14.0,
        true,
    );
    line(&card.panels, 27.0, 7.0, 10.0, false);
    line("手机连接现场 Wi-Fi 后扫码，", 38.0, 6.0, 9.0, false);
    line("再输入您的评委 PIN。", 44.0, 6.0, 9.0, false);
    line("二维码只给本人使用，勿外传。", 52.0, 6.0, 8.0, false);
}

/// Lays out the cards (A4 portrait, two columns of four).
pub fn cards_document(
    title: &str,
    audit_head: &str,
    cards: &[JoinCard],
    fonts: &Fonts,
) -> Document {
    let mut pages = Vec::new();
    for chunk in cards.chunks(8) {
        let mut page = Page::new(Orientation::Portrait);
        for (i, card) in chunk.iter().enumerate() {
            let x = LEFT + (i % 2) as f32 * CARD_W;
            let y = TOP + (i / 2) as f32 * CARD_H;
            card_items(fonts, card, x, y, &mut page.items);
        }
        pages.push(page);
    }
    let furniture = Furniture {
        title: title.to_string(),
        generated: clock::beijing_minutes(clock::now_unix()),
        audit_head: audit_head.to_string(),
    };
    stamp_footers(fonts, &furniture, &mut pages);
    Document {
        title: format!("{title} 扫码打分卡"),
        pages,
        images: Vec::new(),
        outline: Vec::new(),
    }
}

/// Writes the cards as a PDF at `out` (atomically); returns the number of pages.
pub fn write_cards(
    title: &str,
    audit_head: &str,
    cards: &[JoinCard],
    out: &Path,
) -> Result<usize, ReportError> {
    let texts: Vec<&str> = cards
        .iter()
        .flat_map(|c| [c.judge.as_str(), c.name.as_str(), c.panels.as_str()])
        .chain([
            title,
            "扫码打分手机连接现场 Wi-Fi 后扫码，再输入您的评委 PIN。二维码只给本人使用，勿外传。卡第页",
        ])
        .collect();
    let fonts = Fonts::for_texts(texts, &FontSearch::default())?;
    let doc = cards_document(title, audit_head, cards, &fonts);
    let bytes = pdf::write(&doc, &fonts, &|_, _| {})?;
    write::write_atomic(out, &bytes)?;
    Ok(doc.pages.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_link_makes_a_square_qr_code() {
        let m = qr_modules("http://192.168.1.10:8808/?t=0123456789abcdef0123456789abcdef")
            .expect("fits");
        assert!(m.len() >= 21 && m.iter().all(|r| r.len() == m.len()));
        // The three finder patterns: dark corners.
        assert!(m[0][0] && m[0][m.len() - 1] && m[m.len() - 1][0]);
    }
}
