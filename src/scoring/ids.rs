//! Fast lookups of ids (event codes, contestant and judge ids) for the index: a small
//! non-cryptographic hasher, ids packed into integers, and a cache for runs of equal ids.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, non-cryptographic hasher (FxHash-style with a final mix) for maps keyed by the
/// input's own ids: the data is the organiser's, so hash flooding is not a concern.
#[derive(Clone, Copy, Default)]
pub(super) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let word = |chunk: &[u8]| {
            chunk
                .iter()
                .rev()
                .fold(0_u64, |acc, &b| (acc << 8) | u64::from(b))
        };
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(word(chunk));
        }
        self.add(word(chunks.remainder()) ^ ((bytes.len() as u64) << 56));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }

    /// A final avalanche (MurmurHash3's fmix64): without it the low bits, which pick the
    /// bucket, would depend on the first bytes of a key only.
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
}

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub(super) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Ids → numbers. An id of up to 15 bytes (nearly all: "E05", "C0001", "J3") is packed with
/// its length into one integer key, which hashes and compares faster than a string.
#[derive(Default)]
pub(super) struct IdMap<'a> {
    short: FastMap<u128, usize>,
    long: FastMap<&'a str, usize>,
}

/// `len · 256^len + bytes` (big-endian): different ids never share a key.
fn pack(id: &str) -> Option<u128> {
    let bytes = id.as_bytes();
    (bytes.len() < 16).then(|| {
        bytes
            .iter()
            .fold(bytes.len() as u128, |key, &b| (key << 8) | u128::from(b))
    })
}

impl<'a> IdMap<'a> {
    /// Numbers ids by first appearance (a repeated id keeps its first number).
    pub(super) fn numbering(ids: impl Iterator<Item = &'a str>) -> Self {
        let mut map = IdMap::default();
        for (i, id) in ids.enumerate() {
            if map.get(id).is_none() {
                map.insert(id, i);
            }
        }
        map
    }

    pub(super) fn get(&self, id: &str) -> Option<usize> {
        match pack(id) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(id).copied(),
        }
    }

    pub(super) fn insert(&mut self, id: &'a str, n: usize) {
        match pack(id) {
            Some(key) => self.short.insert(key, n),
            None => self.long.insert(id, n),
        };
    }

    pub(super) fn values(&self) -> impl Iterator<Item = usize> + '_ {
        self.short.values().chain(self.long.values()).copied()
    }

    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut usize> + '_ {
        self.short.values_mut().chain(self.long.values_mut())
    }
}

/// A small direct-mapped cache in front of an id lookup: sheets come in runs of one event and
/// one contestant and cycle through a handful of judges, so nearly every lookup is a hit and
/// costs an integer comparison instead of hashing a string.
pub(super) struct Cache {
    /// (packed id, number); `u128::MAX` (never a packed id) marks an empty slot.
    slots: [(u128, usize); 64],
}

impl Cache {
    pub(super) fn new() -> Self {
        Cache {
            slots: [(u128::MAX, 0); 64],
        }
    }

    pub(super) fn get(
        &mut self,
        id: &str,
        lookup: impl FnOnce() -> Option<usize>,
    ) -> Option<usize> {
        let Some(key) = pack(id) else {
            return lookup();
        };
        let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let Some(slot) = self.slots.get_mut((mixed >> 58) as usize) else {
            return lookup();
        };
        if slot.0 == key {
            return Some(slot.1);
        }
        let number = lookup()?;
        *slot = (key, number);
        Some(number)
    }
}

/// Looks ids up in `map` through a [`Cache`].
pub(super) struct Memo<'m, 'a> {
    map: &'m IdMap<'a>,
    cache: Cache,
}

impl<'m, 'a> Memo<'m, 'a> {
    pub(super) fn new(map: &'m IdMap<'a>) -> Self {
        Memo {
            map,
            cache: Cache::new(),
        }
    }

    pub(super) fn get(&mut self, id: &str) -> Option<usize> {
        let map = self.map;
        self.cache.get(id, || map.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_and_long_ids_are_told_apart() {
        let ids = [
            "",
            "a",
            "a\0",
            "\0a",
            "E05",
            "C0001",
            "J3",
            "0123456789abcde",
            "0123456789abcdef",
            "阿依古丽·买买提",
            "吕梁市第一中学",
        ];
        let map = IdMap::numbering(ids.iter().copied());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(map.get(id), Some(i), "{id}");
        }
        assert_eq!(map.get("E5"), None);
        assert_eq!(map.get("0123456789abcdeg"), None);

        let mut cache = Cache::new();
        for _ in 0..3 {
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(cache.get(id, || map.get(id)), Some(i), "{id}");
            }
        }
        assert_eq!(cache.get("nobody", || map.get("nobody")), None);
    }
}
