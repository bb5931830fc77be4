//! Images (certificate backgrounds, seals): decoded once by printpdf, embedded once as
//! compressed image XObjects at full resolution; an alpha channel becomes a soft mask, so a
//! seal's transparent parts show what is under them.

use std::io::{self, Write};

use printpdf::{RawImage, RawImageData, RawImageFormat};

use super::objects::{Id, Obj, PdfWriter, deflate};

/// 8-bit samples: (colour components per pixel, colour bytes, alpha bytes if any).
fn samples(img: &RawImage) -> (u8, Vec<u8>, Option<Vec<u8>>) {
    let bytes: Vec<u8> = match &img.pixels {
        RawImageData::U8(v) => v.clone(),
        RawImageData::U16(v) => v.iter().map(|x| (x >> 8) as u8).collect(),
        RawImageData::F32(v) => v
            .iter()
            .map(|x| (x.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect(),
    };
    // (channels, colour channel order, alpha channel index)
    let (n, order, alpha): (usize, &[usize], Option<usize>) = match img.data_format {
        RawImageFormat::R8 | RawImageFormat::R16 => (1, &[0], None),
        RawImageFormat::RG8 | RawImageFormat::RG16 => (2, &[0], Some(1)),
        RawImageFormat::RGB8 | RawImageFormat::RGB16 | RawImageFormat::RGBF32 => {
            (3, &[0, 1, 2], None)
        }
        RawImageFormat::RGBA8 | RawImageFormat::RGBA16 | RawImageFormat::RGBAF32 => {
            (4, &[0, 1, 2], Some(3))
        }
        RawImageFormat::BGR8 => (3, &[2, 1, 0], None),
        RawImageFormat::BGRA8 => (4, &[2, 1, 0], Some(3)),
    };
    let pixels = img.width * img.height;
    let mut colour = Vec::with_capacity(pixels * order.len());
    let mut mask = alpha.map(|_| Vec::with_capacity(pixels));
    for px in bytes.chunks_exact(n).take(pixels) {
        for &i in order {
            colour.push(px[i]);
        }
        if let (Some(a), Some(m)) = (alpha, mask.as_mut()) {
            m.push(px[a]);
        }
    }
    // A mask that is opaque everywhere is no mask.
    if mask.as_ref().is_some_and(|m| m.iter().all(|a| *a == 255)) {
        mask = None;
    }
    (order.len() as u8, colour, mask)
}

/// Writes `img` (and its soft mask) under `id`.
pub fn write_image<W: Write>(w: &mut PdfWriter<W>, img: &RawImage, id: Id) -> io::Result<()> {
    let (components, colour, mask) = samples(img);
    let size = |d: &mut Vec<(&'static str, Obj)>| {
        d.push(("Type", Obj::name("XObject")));
        d.push(("Subtype", Obj::name("Image")));
        d.push(("Width", Obj::Int(img.width as i64)));
        d.push(("Height", Obj::Int(img.height as i64)));
        d.push(("BitsPerComponent", Obj::Int(8)));
        d.push(("Filter", Obj::name("FlateDecode")));
    };
    let mut dict = Vec::new();
    size(&mut dict);
    dict.push((
        "ColorSpace",
        Obj::name(if components == 1 {
            "DeviceGray"
        } else {
            "DeviceRGB"
        }),
    ));
    if let Some(m) = mask {
        let mut md = Vec::new();
        size(&mut md);
        md.push(("ColorSpace", Obj::name("DeviceGray")));
        let smask = w.stream_new(md, &deflate(&m))?;
        dict.push(("SMask", Obj::Ref(smask)));
    }
    w.stream_at(id, dict, &deflate(&colour))
}
