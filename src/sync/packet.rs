//! Score packets (成绩包): the full current state of one judge's sheets in a kit, with the
//! competition id, kit version, judge, station device id, sequence number and time, signed
//! with HMAC-SHA256 (the `hmac` and `sha2` crates; constant-time comparison) over the exact
//! bytes of the body with the judge's secret key.
//!
//! On disk (and as the body of `POST /packets`) a packet is one line of JSON:
//! `{"packet":{…body…},"hmac_sha256":"…"}` and a newline. The body is serialised from
//! [`Body`] (fields in a fixed order, sheets sorted), so it is canonical; the file must be
//! exactly that envelope, so any byte changed anywhere is refused. Scores are decimal text.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::Sha256;

use super::{hex, sha256_hex, unhex};

/// The format tag every packet carries.
pub const FORMAT: &str = "scoredesk-packet/1";

/// The largest packet accepted (a venue judge's packet is a few hundred kilobytes at most).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// What a packet says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub format: String,
    /// The master's competition id (from the kit).
    pub competition: String,
    /// The kit's version for this judge.
    pub kit_version: u32,
    pub judge: String,
    /// The station's device id (random, made when the station first writes a packet).
    pub device: String,
    /// Counts up with every packet the station writes.
    pub seq: u64,
    /// When it was written (RFC 3339).
    pub time: String,
    /// Every sheet of the judge in the kit, sorted by (event, contestant).
    pub sheets: Vec<PacketSheet>,
}

/// One sheet in a packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PacketSheet {
    pub event: String,
    pub contestant: String,
    /// `submitted` or `draft` (drafts travel for the desk's information; they never count).
    pub status: String,
    /// 1 for a first submission; the station cannot correct a submitted sheet.
    pub revision: u32,
    /// One entry per criterion, decimal text; `null` is a blank.
    pub criteria: Vec<Option<String>>,
    pub total: String,
    pub entered_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    #[serde(borrow)]
    packet: &'a RawValue,
    hmac_sha256: String,
}

/// Why a packet was refused (before any merge rule).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    #[error("成绩包太大（{0} 字节，上限 4 MB），不是 ScoreDesk 成绩包 (the packet is too large)")]
    TooLarge(usize),
    #[error(
        "不是有效的 ScoreDesk 成绩包：{0}。请从评分电脑重新导出成绩包 (not a valid packet; export it again from the station)"
    )]
    Malformed(String),
    #[error(
        "成绩包被改动过（格式不规范），已拒收。请从评分电脑重新导出成绩包 (the packet was altered; export it again)"
    )]
    NotCanonical,
    #[error(
        "成绩包签名不符：内容被改动过，或不是该评委的评分包签的名，已整包拒收 (bad signature: altered, or signed with another judge's key)"
    )]
    BadSignature,
}

/// The HMAC of `body` with `key`.
fn mac(key: &[u8], body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length: this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    m.update(body);
    m
}

fn envelope(body_json: &str, mac_hex: &str) -> String {
    format!("{{\"packet\":{body_json},\"hmac_sha256\":\"{mac_hex}\"}}\n")
}

/// The packet file's bytes: `body` (sheets sorted) signed with `key`.
pub fn encode(mut body: Body, key: &[u8]) -> Result<Vec<u8>, PacketError> {
    body.sheets
        .sort_by(|a, b| (&a.event, &a.contestant).cmp(&(&b.event, &b.contestant)));
    let json = serde_json::to_string(&body).map_err(|e| PacketError::Malformed(e.to_string()))?;
    let tag = hex(&mac(key, json.as_bytes()).finalize().into_bytes());
    Ok(envelope(&json, &tag).into_bytes())
}

/// A packet read from bytes and checked for form, not yet for its signature.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub body: Body,
    /// SHA-256 of the whole file (lowercase hex): the packet's identity and the receipt.
    pub hash: String,
    body_json: String,
    tag: Vec<u8>,
}

impl Parsed {
    /// Checks the signature with the judge's key (constant-time).
    pub fn verify(&self, key: &[u8]) -> Result<(), PacketError> {
        mac(key, self.body_json.as_bytes())
            .verify_slice(&self.tag)
            .map_err(|_| PacketError::BadSignature)
    }
}

/// Reads a packet file's bytes: size, JSON, exact envelope, format tag.
pub fn parse(bytes: &[u8]) -> Result<Parsed, PacketError> {
    if bytes.len() > MAX_BYTES {
        return Err(PacketError::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| PacketError::Malformed("不是 UTF-8 文本 (not UTF-8 text)".into()))?;
    let env: Envelope<'_> =
        serde_json::from_str(text).map_err(|e| PacketError::Malformed(e.to_string()))?;
    let body_json = env.packet.get().to_string();
    if envelope(&body_json, &env.hmac_sha256) != text {
        return Err(PacketError::NotCanonical);
    }
    let tag = unhex(&env.hmac_sha256).ok_or(PacketError::NotCanonical)?;
    let body: Body =
        serde_json::from_str(&body_json).map_err(|e| PacketError::Malformed(e.to_string()))?;
    if body.format != FORMAT {
        return Err(PacketError::Malformed(format!(
            "格式 {} 不是 {FORMAT} (unknown format)",
            body.format
        )));
    }
    // The body must be exactly what `encode` writes, so its signature covers its meaning.
    let canonical =
        serde_json::to_string(&body).map_err(|e| PacketError::Malformed(e.to_string()))?;
    if canonical != body_json {
        return Err(PacketError::NotCanonical);
    }
    Ok(Parsed {
        body,
        hash: sha256_hex(bytes),
        body_json,
        tag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Body {
        Body {
            format: FORMAT.into(),
            competition: "c0ffee".into(),
            kit_version: 1,
            judge: "PW029".into(),
            device: "d1".into(),
            seq: 3,
            time: "2026-12-02T10:00:00+08:00".into(),
            sheets: vec![
                PacketSheet {
                    event: "E05".into(),
                    contestant: "JS002".into(),
                    status: "submitted".into(),
                    revision: 1,
                    criteria: vec![Some("8.5".into()), None],
                    total: "8.5".into(),
                    entered_at: "2026-12-02T09:59:00+08:00".into(),
                },
                PacketSheet {
                    event: "E05".into(),
                    contestant: "JS001".into(),
                    status: "submitted".into(),
                    revision: 1,
                    criteria: vec![Some("9".into()), Some("10".into())],
                    total: "19".into(),
                    entered_at: "2026-12-02T09:58:00+08:00".into(),
                },
            ],
        }
    }

    #[test]
    fn a_signed_packet_verifies_and_lists_sheets_in_order() {
        let key = [7_u8; 32];
        let bytes = encode(body(), &key).expect("encode");
        let p = parse(&bytes).expect("parse");
        p.verify(&key).expect("verifies");
        assert_eq!(p.body.sheets[0].contestant, "JS001", "sorted");
        assert_eq!(p.hash.len(), 64);
        assert_eq!(p.verify(&[8_u8; 32]), Err(PacketError::BadSignature));
    }

    #[test]
    fn every_single_byte_change_is_refused() {
        let key = [7_u8; 32];
        let bytes = encode(body(), &key).expect("encode");
        for i in 0..bytes.len() {
            for delta in [1_u8, 0x20] {
                let mut altered = bytes.clone();
                altered[i] = altered[i].wrapping_add(delta);
                let accepted = parse(&altered).and_then(|p| p.verify(&key).map(|()| p));
                assert!(accepted.is_err(), "byte {i} +{delta} was accepted");
            }
        }
        // Extra whitespace, a missing newline, a reordered envelope: all refused.
        let text = String::from_utf8(bytes.clone()).expect("utf8");
        assert!(matches!(
            parse(text.replace("\":", "\": ").as_bytes()),
            Err(PacketError::NotCanonical)
        ));
        assert!(matches!(
            parse(text.trim_end().as_bytes()),
            Err(PacketError::NotCanonical)
        ));
        assert!(matches!(
            parse(&[b'x'; MAX_BYTES + 1]),
            Err(PacketError::TooLarge(_))
        ));
    }
}
