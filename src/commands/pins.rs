//! PINs: the one rule for the organiser's PIN, and new judge PINs made and hashed on every
//! core (Argon2 is slow on purpose) — used alike by the command line and the window.

use super::error::{CommandError, CommandResult};
use crate::pin;
use crate::store::Store;

/// A PIN to hand out: (judge id, name, PIN).
pub type PinSlip = (String, String, String);

/// New PINs: the slips to hand out and the (judge id, hash) pairs to store.
pub type NewPins = (Vec<PinSlip>, Vec<(String, String)>);

/// The organiser's PIN has at least this many digits.
pub const ORGANISER_PIN_DIGITS: usize = 6;

/// Checks the organiser PIN rule (at least six digits) and returns the PIN trimmed.
pub fn check_organiser_pin(entered: &str) -> CommandResult<&str> {
    let p = entered.trim();
    if p.len() < ORGANISER_PIN_DIGITS || !p.chars().all(|c| c.is_ascii_digit()) {
        return Err(CommandError::Invalid(format!(
            "管理员 PIN 需要至少 {ORGANISER_PIN_DIGITS} 位数字 (the organiser PIN needs at least {ORGANISER_PIN_DIGITS} digits)"
        )));
    }
    Ok(p)
}

/// Hashes the organiser PIN after checking the rule.
pub fn organiser_pin_hash(entered: &str) -> CommandResult<String> {
    let p = check_organiser_pin(entered)?;
    pin::hash_strong(p).map_err(CommandError::Invalid)
}

/// The organiser's seal key for this file (封记), after checking the PIN. Slow (Argon2id):
/// derived once per login and kept while the organiser is logged in.
pub fn seal_key(store: &mut Store, entered: &str) -> CommandResult<[u8; 32]> {
    let stored = store.meta(super::ORGANISER_PIN)?.unwrap_or_default();
    if !pin::verify(entered.trim(), &stored) {
        return Err(CommandError::Invalid(
            "管理员 PIN 不正确 (wrong organiser PIN)".into(),
        ));
    }
    Ok(store.seal_key(entered.trim())?)
}

/// Seals the audit chain's newest entry with the organiser's key; returns the sealed entry.
pub fn seal(store: &mut Store, key: &[u8; 32]) -> CommandResult<Option<i64>> {
    Ok(store.seal(key)?)
}

/// New PINs for `judges` (id, name): the slips to hand out and the (id, hash) pairs to store.
/// Hashing runs on every core; `progress(done, total)` is called as judges are finished.
pub fn make_pins(
    judges: &[(String, String)],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> CommandResult<NewPins> {
    let slips: Vec<PinSlip> = judges
        .iter()
        .map(|(id, name)| (id.clone(), name.clone(), pin::generate()))
        .collect();
    let total = slips.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = total.div_ceil(threads).max(1);
    let hashed: Vec<Result<(String, String), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = slips
            .chunks(chunk)
            .map(|part| {
                let done = &done;
                scope.spawn(move || {
                    part.iter()
                        .map(|(id, _, p)| {
                            let h = pin::hash(p).map(|h| (id.clone(), h));
                            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                            progress(n, total);
                            h
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err("PIN hashing failed".to_string())])
            })
            .collect()
    });
    let hashes = hashed
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(CommandError::Invalid)?;
    Ok((slips, hashes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organiser_pin_has_six_digits() {
        assert!(matches!(
            check_organiser_pin("1234"),
            Err(CommandError::Invalid(_))
        ));
        assert!(matches!(
            check_organiser_pin("12345a"),
            Err(CommandError::Invalid(_))
        ));
        assert_eq!(check_organiser_pin(" 123456 ").ok(), Some("123456"));
    }

    #[test]
    fn every_judge_gets_a_pin_that_verifies() {
        let judges = vec![
            ("PW1".to_string(), "甲".to_string()),
            ("PW2".into(), "乙".into()),
        ];
        let (slips, hashes) = make_pins(&judges, &|_, _| {}).expect("pins");
        assert_eq!(slips.len(), 2);
        for ((id, _, p), (hid, h)) in slips.iter().zip(&hashes) {
            assert_eq!(id, hid);
            assert!(pin::verify(p, h));
        }
    }
}
