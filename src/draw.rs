//! 抽签: a reproducible random order and anonymous code per event.
//!
//! The order depends only on the seed and the set of contestant ids (sorted first), so the
//! same seed always reproduces the same draw, whatever order the roster was imported in.

use crate::rng::SplitMix64;

/// One drawn place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnPlace {
    pub contestant: String,
    /// 1-based order of appearance.
    pub order: u32,
    /// Anonymous code shown to judges in blind events, e.g. `E05-017`.
    pub code: String,
}

/// Draws the order of `contestants` for `event_code` with `seed`.
pub fn draw(event_code: &str, contestants: &[String], seed: u64) -> Vec<DrawnPlace> {
    let mut ids: Vec<&String> = contestants.iter().collect();
    ids.sort();
    ids.dedup();
    // Mix the event code into the seed so one seed gives each event its own order.
    let mut mix = seed;
    for b in event_code.bytes() {
        mix = mix.rotate_left(8) ^ u64::from(b);
    }
    SplitMix64::new(mix).shuffle(&mut ids);
    let width = ids.len().to_string().len().max(3);
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| DrawnPlace {
            contestant: id.clone(),
            order: i as u32 + 1,
            code: format!("{event_code}-{:0width$}", i + 1),
        })
        .collect()
}

/// A fresh seed from the clock, for when the organiser gives none.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    SplitMix64::new(nanos ^ u64::from(std::process::id())).next_u64() % 1_000_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_order_regardless_of_input_order() {
        let a: Vec<String> = (1..=30).map(|i| format!("JS{i:03}")).collect();
        let mut b = a.clone();
        b.reverse();
        assert_eq!(draw("E05", &a, 7), draw("E05", &b, 7));
        assert_ne!(draw("E05", &a, 7), draw("E05", &a, 8));
        assert_ne!(draw("E05", &a, 7), draw("E06", &a, 7));
        let d = draw("E05", &a, 7);
        assert_eq!(d.len(), 30);
        assert_eq!(d[0].order, 1);
        assert_eq!(d[0].code, "E05-001");
    }
}

#[cfg(test)]
mod known_answers {
    use super::*;

    /// A recorded draw must come out the same in every future version (README "Draw"). These
    /// orders were recorded with this implementation; a change here breaks recorded draws.
    #[test]
    fn a_recorded_seed_reproduces_its_order() {
        let ids: Vec<String> = (1..=12).map(|i| format!("JS{i:03}")).collect();
        let order = |event: &str, seed: u64| -> Vec<String> {
            draw(event, &ids, seed)
                .into_iter()
                .map(|p| p.contestant)
                .collect()
        };
        assert_eq!(
            order("E05", 20_261_202),
            [
                "JS009", "JS012", "JS008", "JS003", "JS005", "JS011", "JS002", "JS010", "JS001",
                "JS007", "JS006", "JS004"
            ]
        );
        assert_eq!(
            order("E08", 1),
            [
                "JS007", "JS009", "JS001", "JS003", "JS005", "JS008", "JS011", "JS002", "JS006",
                "JS012", "JS010", "JS004"
            ]
        );
        let codes: Vec<String> = draw("E05", &ids, 20_261_202)
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(codes.first().map(String::as_str), Some("E05-001"));
        assert_eq!(codes.last().map(String::as_str), Some("E05-012"));
    }
}
