//! The calibration page for pre-printed stock: a millimetre grid, rulers, corner marks and
//! the stock boxes at the current offset.

use super::super::font::Fonts;
use super::super::layout::{
    Align, Color, Furniture, Item, Orientation, Page, Style, fit_in_box, stamp_footers,
};
use super::*;

/// The calibration page for pre-printed stock: a millimetre grid with rulers, corner marks, and
/// the stock boxes (dashed) where the texts will be printed with the current offset.
pub fn calibration_page(
    fonts: &Fonts,
    template: &Template,
    orientation: Option<Orientation>,
    offset: Option<(f32, f32)>,
    furniture: &Furniture,
) -> Page {
    let orientation = orientation
        .unwrap_or_else(|| Orientation::parse(&template.stock.orientation).unwrap_or_default());
    let stock = template.stock_for(orientation);
    let (dx, dy) = offset.unwrap_or((stock.offset_x, stock.offset_y));
    let mut page = Page::new(orientation);
    let (w, h) = (page.width, page.height);
    let grid = Color::rgb(215, 225, 240);
    let major = Color::rgb(150, 170, 210);
    // The grid: every 5 mm, stronger every 10 mm.
    let mut x = 0.0;
    while x <= w + 0.01 {
        let ten = (x as i32) % 10 == 0;
        page.line(
            x,
            0.0,
            x,
            h,
            if ten { 0.5 } else { 0.2 },
            if ten { major } else { grid },
        );
        x += 5.0;
    }
    let mut y = 0.0;
    while y <= h + 0.01 {
        let ten = (y as i32) % 10 == 0;
        page.line(
            0.0,
            y,
            w,
            y,
            if ten { 0.5 } else { 0.2 },
            if ten { major } else { grid },
        );
        y += 5.0;
    }
    // Rulers with 1 mm ticks along the top and left edges, numbered every 10 mm.
    let label = Style::new(6.0).color(Color::rgb(40, 60, 120));
    for mm in 0..=(w as i32) {
        let len = if mm % 10 == 0 {
            6.0
        } else if mm % 5 == 0 {
            4.0
        } else {
            2.0
        };
        page.line(mm as f32, 0.0, mm as f32, len, 0.25, Color::BLACK);
        if mm % 10 == 0 && mm > 0 && mm < w as i32 {
            page.items.push(Item::Text(fit_in_box(
                fonts,
                &mm.to_string(),
                (mm as f32 - 5.0, 6.2, 10.0, 3.0),
                Align::Center,
                label,
            )));
        }
    }
    for mm in 0..=(h as i32) {
        let len = if mm % 10 == 0 {
            6.0
        } else if mm % 5 == 0 {
            4.0
        } else {
            2.0
        };
        page.line(0.0, mm as f32, len, mm as f32, 0.25, Color::BLACK);
        if mm % 10 == 0 && mm > 0 && mm < h as i32 {
            page.items.push(Item::Text(fit_in_box(
                fonts,
                &mm.to_string(),
                (6.5, mm as f32 - 1.5, 8.0, 3.0),
                Align::Left,
                label,
            )));
        }
    }
    // Crosshair marks near each corner and at the centre, with their coordinates (the bottom
    // ones 30 mm up, clear of the page footer).
    let marks = [
        (20.0, 20.0),
        (w - 20.0, 20.0),
        (20.0, h - 30.0),
        (w - 20.0, h - 30.0),
        ((w / 2.0).round(), (h / 2.0).round()),
    ];
    for (mx, my) in marks {
        page.line(mx - 6.0, my, mx + 6.0, my, 0.6, Color::RED);
        page.line(mx, my - 6.0, mx, my + 6.0, 0.6, Color::RED);
        page.items.push(Item::Rect {
            x: mx - 3.0,
            y: my - 3.0,
            w: 6.0,
            h: 6.0,
            stroke: Some((0.4, Color::RED)),
            fill: None,
        });
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &format!("({mx:.0}, {my:.0})"),
            (mx + 3.5, my - 7.5, 22.0, 4.0),
            Align::Left,
            Style::new(7.0).color(Color::RED),
        )));
    }
    // The stock boxes where the texts land with the current offset.
    let box_color = Color::rgb(20, 120, 60);
    for b in &stock.blocks {
        let (bx, by) = (b.x + dx, b.y + dy);
        for (x1, y1, x2, y2) in [
            (bx, by, bx + b.width, by),
            (bx, by + b.height, bx + b.width, by + b.height),
            (bx, by, bx, by + b.height),
            (bx + b.width, by, bx + b.width, by + b.height),
        ] {
            page.items.push(Item::Line {
                x1,
                y1,
                x2,
                y2,
                width: 0.6,
                color: box_color,
                dashed: true,
            });
        }
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &b.text,
            (bx, by, b.width, b.height),
            parse_align(&b.align).unwrap_or_default(),
            Style::new(b.size.min(14.0)).color(box_color),
        )));
    }
    // Instructions.
    let lines = [
        format!(
            "证书套打校准页 (calibration page) — A4 {}，当前偏移 offset_x = {dx} mm，offset_y = {dy} mm",
            match orientation {
                Orientation::Landscape => "横向",
                Orientation::Portrait => "纵向",
            }
        ),
        "把本页放在证书纸上对着光比较（或直接打印在证书纸上）：绿色虚线框是各字段将要打印的位置。".to_string(),
        "量出需要移动的距离，在证书模板 [stock]（纵向为 [stock_portrait]）中设置 offset_x / offset_y（向右、向下为正，单位 mm），或用 --offset-x / --offset-y。".to_string(),
        "打印时请选择“实际大小 / 100%”，不要“适合页面”。(Print at 100 %, not fit-to-page.)".to_string(),
    ];
    let mut y = 16.0;
    for l in lines {
        page.items.push(Item::Rect {
            x: 34.0,
            y: y - 0.5,
            w: w - 68.0,
            h: 5.6,
            stroke: None,
            fill: Some(Color::rgb(255, 255, 255)),
        });
        page.items.push(Item::Text(fit_in_box(
            fonts,
            &l,
            (35.0, y, w - 70.0, 5.0),
            Align::Left,
            Style::new(9.0),
        )));
        y += 6.0;
    }
    let mut pages = [page];
    stamp_footers(fonts, furniture, &mut pages);
    let [page] = pages;
    page
}

/// The name block's text (the first block showing {姓名}) of a page, for tests: its size and
/// the box width it had to fit.
pub fn name_block(design: &Design) -> Option<&Block> {
    design.blocks.iter().find(|b| b.text.contains("{姓名}"))
}
