//! PINs: generated for judges, hashed with Argon2id (salted, deliberately slow), verified at login.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::rng::SplitMix64;

/// Argon2id with 19 MiB and 2 passes (OWASP's minimum recommendation).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn random_bytes(n: usize) -> Vec<u8> {
    // The operating system's generator; should it fail, a clock-, process- and address-seeded
    // generator (PINs and salts must be unpredictable to a person at the venue; the hash guards
    // the file).
    let mut buf = vec![0_u8; n];
    if getrandom::fill(&mut buf).is_ok() {
        return buf;
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let local = 0u8;
    let addr = &local as *const u8 as u64;
    let mut rng = SplitMix64::new(nanos ^ addr.rotate_left(32) ^ u64::from(std::process::id()));
    (0..n).map(|_| (rng.next_u64() >> 24) as u8).collect()
}

/// Hashes a PIN into a PHC string (`$argon2id$v=19$…`).
pub fn hash(pin: &str) -> Result<String, String> {
    hash_with(pin, &hasher())
}

/// Argon2id for the organiser's PIN: 64 MiB and 3 passes — about 0.12 s per try on one core
/// here, so a login stays well under half a second, while guessing a six-digit PIN offline
/// takes about 17 hours on a 2-core machine, not minutes.
fn strong_hasher() -> Argon2<'static> {
    let params = Params::new(64 * 1024, 3, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes the organiser's PIN with the stronger parameters (verified like any hash: the
/// parameters are in the PHC string).
pub fn hash_strong(pin: &str) -> Result<String, String> {
    hash_with(pin, &strong_hasher())
}

fn hash_with(pin: &str, hasher: &Argon2<'_>) -> Result<String, String> {
    let salt = SaltString::encode_b64(&random_bytes(16)).map_err(|e| e.to_string())?;
    hasher
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// The key of the organiser's seals on the audit chain (see `store::check`): Argon2id with the
/// organiser's parameters over the PIN and the file's own salt, so it is as slow to guess as
/// the PIN itself and never stored anywhere.
pub fn seal_key(pin: &str, salt: &[u8]) -> Result<[u8; 32], String> {
    let mut key = [0u8; 32];
    strong_hasher()
        .hash_password_into(pin.trim().as_bytes(), salt, &mut key)
        .map_err(|e| e.to_string())?;
    Ok(key)
}

/// Random bytes from the operating system (salts).
pub fn salt() -> Vec<u8> {
    random_bytes(16)
}

/// Whether `pin` matches a stored hash (whatever Argon2 parameters it was made with).
pub fn verify(pin: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new 6-digit PIN.
pub fn generate() -> String {
    let b = random_bytes(8);
    let n = b.iter().fold(0u64, |acc, &x| {
        acc.wrapping_mul(257).wrapping_add(u64::from(x))
    });
    format!("{:06}", n % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organisers_hash_is_stronger_and_verifies() {
        let h = hash_strong("246810").expect("hash");
        assert!(h.contains("m=65536,t=3"), "{h}");
        assert!(verify("246810", &h));
        assert!(!verify("246811", &h));
    }

    #[test]
    fn hashes_are_salted_and_verify() {
        let a = hash("123456").expect("hash");
        let b = hash("123456").expect("hash");
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("123456", &a));
        assert!(!verify("123457", &a));
        assert!(!verify("123456", "garbage"));
        let p = generate();
        assert_eq!(p.len(), 6);
        assert!(p.chars().all(|c| c.is_ascii_digit()));
    }
}
