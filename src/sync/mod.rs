//! Several devices (SPEC §6): signed score packets and the rules for merging them. Pure — no
//! file, no SQL: the command layer reads the kit or the master, asks here, and writes.
//!
//! - [`packet`]: a judge's cumulative sheets as readable JSON, signed with HMAC-SHA256 over the
//!   exact bytes of its body with the judge's secret key; parsing, verifying, hashing.
//! - [`merge`]: what one packet sheet does to the master's sheet — add, confirm, conflict.
//! - random keys and ids from the operating system's generator.

pub mod merge;
pub mod packet;

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a hex string, if it is one.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect()
}

/// `n` random bytes from the operating system's generator, as hex: packet keys (32 bytes),
/// device and competition ids.
pub fn random_hex(n: usize) -> Result<String, String> {
    let mut buf = vec![0_u8; n];
    getrandom::fill(&mut buf).map_err(|e| format!("系统随机数不可用 (no OS randomness): {e}"))?;
    Ok(hex(&buf))
}

/// SHA-256 of `bytes` in lowercase hex (a packet's hash, the receipt's `hash`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(unhex("000fff"), Some(vec![0, 15, 255]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
        let k = random_hex(32).expect("random");
        assert_eq!(k.len(), 64);
        assert_ne!(k, random_hex(32).expect("random"));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
