//! Images (certificate backgrounds, seals): embedded once, at full resolution. A JPEG goes in
//! as it is (DCTDecode: no second lossy pass); other images are decoded by printpdf and
//! compressed losslessly, an alpha channel becoming a soft mask, so a seal's transparent
//! parts show what is under them.

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

/// The number of colour components a baseline or progressive JPEG declares (its SOF
/// segment), if `bytes` is a JPEG.
fn jpeg_components(bytes: &[u8]) -> Option<u8> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return bytes.get(at + 9).copied();
        }
        at += 2 + len;
    }
    None
}

/// Writes `img` (and its soft mask) under `id`; `file` is the image file's bytes.
pub fn write_image<W: Write>(
    w: &mut PdfWriter<W>,
    file: &[u8],
    img: &RawImage,
    id: Id,
) -> io::Result<()> {
    // Grey and colour JPEGs as they are (CMYK ones are decoded like any other image).
    if let Some(n @ (1 | 3)) = jpeg_components(file) {
        let dict = vec![
            ("Type", Obj::name("XObject")),
            ("Subtype", Obj::name("Image")),
            ("Width", Obj::Int(img.width as i64)),
            ("Height", Obj::Int(img.height as i64)),
            ("BitsPerComponent", Obj::Int(8)),
            (
                "ColorSpace",
                Obj::name(if n == 1 { "DeviceGray" } else { "DeviceRGB" }),
            ),
            ("Filter", Obj::name("DCTDecode")),
        ];
        return w.stream_at(id, dict, file);
    }
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
