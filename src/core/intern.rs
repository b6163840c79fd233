//! A string interner that many threads can feed at once: entity names are stored once for the
//! whole collection and articles refer to them by number.

use rustc_hash::FxHashMap as HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use crate::core::text::stable_hash;

const SHARDS: usize = 64;

pub struct Interner {
    shards: Vec<Mutex<HashMap<Box<str>, u32>>>,
    next: AtomicU32,
}

impl Default for Interner {
    fn default() -> Self {
        Interner { shards: (0..SHARDS).map(|_| Mutex::new(HashMap::default())).collect(), next: AtomicU32::new(0) }
    }
}

impl Interner {
    /// The number of `s`, the same for every equal string.
    pub fn intern(&self, s: &str) -> u32 {
        let shard = &self.shards[(stable_hash(s.as_bytes()) as usize) % SHARDS];
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = map.get(s) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        map.insert(s.into(), id);
        id
    }

    /// The strings by number.
    pub fn into_strings(self) -> Vec<Box<str>> {
        let n = self.next.load(Ordering::Relaxed) as usize;
        let mut strings: Vec<Box<str>> = vec![Box::from(""); n];
        for shard in self.shards {
            for (s, id) in shard.into_inner().unwrap_or_else(|e| e.into_inner()) {
                strings[id as usize] = s;
            }
        }
        strings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn equal_strings_share_a_number_across_threads() {
        let interner = Interner::default();
        let ids: Vec<u32> =
            (0..10_000).into_par_iter().map(|i| interner.intern(&format!("name {}", i % 100))).collect();
        let strings = interner.into_strings();
        assert_eq!(strings.len(), 100);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(&*strings[*id as usize], format!("name {}", i % 100));
        }
    }
}
