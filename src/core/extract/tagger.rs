//! A statistical sequence tagger beside the rules: an averaged structured perceptron over BIO tags
//! (PER, ORG, LOC, MISC) with first-order Viterbi decoding, trained on the freely licensed data
//! the training program reads (`cargo run --release --example train_ner`, see `assets/README.md`).
//!
//! Features carry across domains: the word lower-cased, its shape, prefixes and suffixes, casing,
//! position in the sentence, neighbouring words and shapes, memberships in newsroom's lexicons
//! (given names, surnames, titles, organisation and place heads, cue words, known names, English
//! words, WordNet's typed proper names, brand names) and what the rules made of the token (kind
//! and strength of the rule mention covering it), so the tagger learns when the rules are right.
//! Features are hashed into a fixed table; weights ship quantised to i16 and deflate-compressed in
//! `assets/ner/`.
//!
//! Only tokens near a capitalised word are tagged (names in news are capitalised): everything
//! else is `O` without being looked at, which keeps extraction fast.

use std::io::Read;
use std::sync::OnceLock;

use xxhash_rust::xxh3::xxh3_64;

use super::lexicon::{Lexicon, Lists};
use super::tokens::{is_acronym, is_capitalised, Token, TokenKind};
use super::{Evidence, Kind, RawMention};

const WEIGHTS: &[u8] = include_bytes!("../../../assets/ner/weights.bin");
const MAGIC: &[u8; 8] = b"NRNER01\0";

/// The shipped weights, for the cache fingerprint.
pub fn weight_bytes() -> &'static [u8] {
    WEIGHTS
}

/// Hash-table size in bits.
pub const BITS: u32 = 18;
const BUCKETS: usize = 1 << BITS;

/// The labels: O, then B/I for each type.
pub const LABELS: [&str; 9] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"];
pub const N: usize = LABELS.len();
const START: usize = N;

/// A label's number from a CoNLL tag (`B-PER`, `I-LOC`, …); other types are `O`.
pub fn label_of(tag: &str) -> usize {
    LABELS.iter().position(|l| *l == tag).unwrap_or(0)
}

/// The type of a B/I label (1 = PER … 4 = MISC), 0 for `O`.
fn type_of(label: usize) -> usize {
    label.div_ceil(2)
}

fn is_inside(label: usize) -> bool {
    label > 0 && label.is_multiple_of(2)
}

/// Whether `label` may follow `prev` (an `I-X` continues a `B-X` or `I-X` only).
pub fn allowed(prev: usize, label: usize) -> bool {
    !is_inside(label) || (prev < N && prev > 0 && type_of(prev) == type_of(label))
}

/// The kind of a type number.
pub fn kind_of(ty: usize) -> Kind {
    match ty {
        1 => Kind::Person,
        2 => Kind::Organization,
        3 => Kind::Place,
        _ => Kind::Other,
    }
}

static MODEL: OnceLock<Option<Model>> = OnceLock::new();

/// Weights: `BUCKETS × N` emission weights and `(N + 1) × N` transitions (from each label or
/// the start).
pub struct Model {
    pub emission: Vec<f32>,
    pub transition: Vec<f32>,
    /// The emission weights as shipped (i16 × `scale`), half the memory of `emission`, used for
    /// tagging when present.
    quantised: Vec<i16>,
    scale: f32,
}

impl Model {
    pub fn zero() -> Model {
        Model {
            emission: vec![0.0; BUCKETS * N],
            transition: vec![0.0; (N + 1) * N],
            quantised: Vec::new(),
            scale: 1.0,
        }
    }

    /// The model compiled into the binary, loaded once; `None` if the asset is missing or bad
    /// (extraction then stands on the rules alone).
    pub fn get() -> Option<&'static Model> {
        MODEL.get_or_init(|| Model::from_bytes(WEIGHTS)).as_ref()
    }

    /// Uses `model` instead of the shipped weights for the rest of the process (the training
    /// program scores the dev files with the weights it has just written); false if extraction
    /// had already loaded the shipped ones.
    pub fn install(model: Model) -> bool {
        MODEL.set(Some(model)).is_ok()
    }

    /// Quantised, compressed bytes: magic, scale (f32), then i16 weights (emission then
    /// transition), little-endian, all deflate-compressed after the magic.
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self.emission.iter().chain(&self.transition).fold(0f32, |m, w| m.max(w.abs())).max(1e-9);
        let scale = max / 32767.0;
        let mut raw = Vec::with_capacity((self.emission.len() + self.transition.len()) * 2 + 4);
        raw.extend_from_slice(&scale.to_le_bytes());
        for w in self.emission.iter().chain(&self.transition) {
            raw.extend_from_slice(&((w / scale).round() as i16).to_le_bytes());
        }
        let mut out = MAGIC.to_vec();
        let mut enc = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::best());
        std::io::Write::write_all(&mut enc, &raw).expect("in memory");
        enc.finish().expect("in memory");
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        let body = bytes.strip_prefix(MAGIC.as_slice())?;
        let expected = 4 + (BUCKETS * N + (N + 1) * N) * 2;
        let mut raw = Vec::with_capacity(expected);
        flate2::read::DeflateDecoder::new(body).take(expected as u64 + 1).read_to_end(&mut raw).ok()?;
        if raw.len() != expected {
            return None;
        }
        let scale = f32::from_le_bytes(raw[0..4].try_into().ok()?);
        let mut weights = raw[4..].chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]));
        let quantised: Vec<i16> = weights.by_ref().take(BUCKETS * N).collect();
        let transition: Vec<f32> = weights.map(|w| w as f32 * scale).collect();
        Some(Model { emission: Vec::new(), transition, quantised, scale })
    }

    fn emissions(&self, features: &[u32], out: &mut [f32; N]) {
        if !self.quantised.is_empty() {
            let mut sum = [0i32; N];
            for &f in features {
                // A row of fixed length: one bounds test, and the adds unrolled.
                let Some(row) = self.quantised.get(f as usize * N..f as usize * N + N) else { continue };
                let row: &[i16; N] = row.try_into().expect("N weights");
                for (o, &w) in sum.iter_mut().zip(row) {
                    *o += w as i32;
                }
            }
            for (o, s) in out.iter_mut().zip(sum) {
                *o = s as f32 * self.scale;
            }
            return;
        }
        *out = [0.0; N];
        for &f in features {
            let row = &self.emission[f as usize * N..f as usize * N + N];
            for (o, w) in out.iter_mut().zip(row) {
                *o += w;
            }
        }
    }

    /// The best labels for a segment whose tokens have these features (first-order Viterbi).
    pub fn decode(&self, features: &[Vec<u32>]) -> Vec<usize> {
        let emissions: Vec<[f32; N]> = features
            .iter()
            .map(|f| {
                let mut e = [0.0; N];
                self.emissions(f, &mut e);
                e
            })
            .collect();
        self.viterbi(&emissions)
    }

    /// The best labels given each token's emission scores.
    fn viterbi(&self, emissions: &[[f32; N]]) -> Vec<usize> {
        self.viterbi_with(&self.masked_transitions(), emissions)
    }

    /// Transitions with the forbidden ones at minus infinity: the inner loop needs no test
    /// (a forbidden or unreachable label never scores above the best so far).
    fn masked_transitions(&self) -> [[f32; N]; N + 1] {
        let mut transition = [[f32::NEG_INFINITY; N]; N + 1];
        for (p, row) in transition.iter_mut().enumerate() {
            for (t, w) in row.iter_mut().enumerate() {
                if allowed(p, t) {
                    *w = self.transition[p * N + t];
                }
            }
        }
        transition
    }

    /// [`Model::viterbi`] given [`Model::masked_transitions`], worked out once for many segments.
    fn viterbi_with(&self, transition: &[[f32; N]; N + 1], emissions: &[[f32; N]]) -> Vec<usize> {
        let mut labels = Vec::new();
        self.viterbi_into(transition, emissions, &mut Default::default(), &mut labels);
        labels
    }

    /// [`Model::viterbi_with`] into `labels`, with its tables in `scratch` (kept for the next
    /// segment: no allocation per segment).
    fn viterbi_into(
        &self,
        transition: &[[f32; N]; N + 1],
        emissions: &[[f32; N]],
        scratch: &mut (Vec<[f32; N]>, Vec<[u8; N]>),
        labels: &mut Vec<usize>,
    ) {
        labels.clear();
        let n = emissions.len();
        if n == 0 {
            return;
        }
        let (score, back) = scratch;
        score.clear();
        score.resize(n, [f32::NEG_INFINITY; N]);
        back.clear();
        back.resize(n, [0u8; N]);
        for (i, &e) in emissions.iter().enumerate() {
            for t in 0..N {
                if i == 0 {
                    if allowed(START, t) {
                        score[0][t] = self.transition[START * N + t] + e[t];
                    }
                    continue;
                }
                let mut best = (f32::NEG_INFINITY, 0);
                let previous = score[i - 1];
                if is_inside(t) {
                    // An inside label follows only its own type's B and I (every other
                    // transition to it is minus infinity, which never beats the best so far).
                    for p in [t - 1, t] {
                        let s = previous[p] + transition[p][t];
                        if s > best.0 {
                            best = (s, p);
                        }
                    }
                } else {
                    for (p, &before) in previous.iter().enumerate() {
                        let s = before + transition[p][t];
                        if s > best.0 {
                            best = (s, p);
                        }
                    }
                }
                score[i][t] = best.0 + e[t];
                back[i][t] = best.1 as u8;
            }
        }
        let mut t = (0..N).max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b])).unwrap_or(0);
        labels.resize(n, 0);
        for i in (0..n).rev() {
            labels[i] = t;
            t = back[i][t] as usize;
        }
    }
}

/// What the tagger sees of one token.
#[derive(Default, Clone)]
struct Info {
    lower: u64,
    exact: u64,
    shape: u64,
    prefixes: [u64; 3],
    suffixes: [u64; 4],
    flags: u32,
    known: u8,
    cue: u8,
    rule: u8,
}

const F_CAP: u32 = 1;
const F_ENGLISH: u32 = 1 << 1;
const F_GIVEN: u32 = 1 << 2;
const F_SURNAME: u32 = 1 << 3;
const F_TITLE: u32 = 1 << 4;
const F_ORG_HEAD: u32 = 1 << 5;
const F_PLACE_HEAD: u32 = 1 << 6;
const F_DIRECTION: u32 = 1 << 7;
const F_ACRONYM: u32 = 1 << 8;
const F_NOT_ENTITY_ACRONYM: u32 = 1 << 9;
const F_NUMBER: u32 = 1 << 10;
const F_PUNCT: u32 = 1 << 11;
const F_SENTENCE_START: u32 = 1 << 12;
const F_POSSESSIVE: u32 = 1 << 13;
const F_HYPHEN: u32 = 1 << 14;
const F_PARTICLE: u32 = 1 << 15;
const F_ALL_CAPS_LONG: u32 = 1 << 16;
const F_SINGLE_INITIAL: u32 = 1 << 17;
const F_PLURAL_S: u32 = 1 << 18;
const F_MISSING: u32 = 1 << 19;
const F_SMALL_PLACE: u32 = 1 << 20;
/// Written with a capital in the middle of a sentence elsewhere in the article: at a sentence
/// start, a name rather than an ordinary word ("Cook said").
const F_CAPITAL_ELSEWHERE: u32 = 1 << 21;
/// WordNet names the word as a person, an organisation, a place, or something else (an event,
/// a work, a kind of people).
const F_WORDNET_PERSON: u32 = 1 << 22;
const F_WORDNET_ORGANISATION: u32 = 1 << 23;
const F_WORDNET_PLACE: u32 = 1 << 24;
const F_WORDNET_OTHER: u32 = 1 << 25;
/// A brand's name (simple-icons): a company, a service or a product.
const F_BRAND: u32 = 1 << 26;
const FLAG_COUNT: u32 = 27;
/// Flags worth looking at on a neighbour.
const NEIGHBOUR_FLAGS: u32 = F_CAP
    | F_ENGLISH
    | F_GIVEN
    | F_SURNAME
    | F_TITLE
    | F_ORG_HEAD
    | F_PLACE_HEAD
    | F_ACRONYM
    | F_NUMBER
    | F_SENTENCE_START
    | F_POSSESSIVE
    | F_MISSING;

fn kind_code(kind: Kind) -> u8 {
    match kind {
        Kind::Person => 1,
        Kind::Organization => 2,
        Kind::Place => 3,
        Kind::Date => 4,
        Kind::Group => 5,
        Kind::Other => 6,
    }
}

fn shape_hash(word: &str) -> u64 {
    if word.is_ascii() {
        // The same, a byte at a time: an ASCII letter or digit is one for the char methods too.
        let mut buf = [0u8; 24];
        let mut len = 0;
        let mut last = b' ';
        let mut run = 0;
        for &b in word.as_bytes().iter().take(24) {
            let s = if b.is_ascii_uppercase() {
                b'X'
            } else if b.is_ascii_lowercase() {
                b'x'
            } else if b.is_ascii_digit() {
                b'd'
            } else {
                b
            };
            if s == last {
                run += 1;
                if run >= 2 {
                    continue;
                }
            } else {
                run = 0;
            }
            last = s;
            buf[len] = s;
            len += 1;
        }
        return xxh3_64(&buf[..len]);
    }
    let mut buf = [0u8; 96];
    let mut len = 0;
    let mut last = ' ';
    let mut run = 0;
    for c in word.chars().take(24) {
        let s = shape_class(c);
        if s == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = s;
        len += s.encode_utf8(&mut buf[len..]).len();
    }
    xxh3_64(&buf[..len])
}

fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

#[cfg(test)]
fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = ' ';
    let mut run = 0;
    for c in word.chars().take(24) {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if s == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = s;
        out.push(s);
    }
    out
}

#[inline]
fn mix(template: u64, value: u64) -> u32 {
    let h = (value ^ template.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    let h = h ^ (h >> 29);
    (h.wrapping_mul(0xC4CE_B9FE_1A85_EC53) >> (64 - BITS)) as u32
}

/// The per-token view of an article for the tagger: which tokens are tagged, in segments, with
/// their features.
pub struct Sequence {
    /// `[first, end)` token ranges to tag; every other token is `O`.
    pub segments: Vec<(usize, usize)>,
    /// Features of each token of each segment, in order.
    pub features: Vec<Vec<Vec<u32>>>,
}

/// Rule mentions as one code per token: kind, evidence, first token or not.
fn rule_codes(tokens: &[Token], mentions: &[RawMention]) -> Vec<u8> {
    let mut codes = vec![0u8; tokens.len()];
    let mut m = 0;
    for (i, t) in tokens.iter().enumerate() {
        while m < mentions.len() && mentions[m].end <= t.start {
            m += 1;
        }
        let Some(mention) = mentions.get(m) else { break };
        if mention.start < t.end && t.start < mention.end {
            let first = mention.start >= t.start;
            codes[i] = kind_code(mention.kind) * 10 + (mention.evidence as u8) * 2 + u8::from(first) + 1;
        }
    }
    codes
}

/// Whether a rule code is a mention the combination keeps whatever the tagger says (a date, a
/// nationality, strong evidence): no reason to tag there.
fn stands(code: u8) -> bool {
    if code == 0 {
        return false;
    }
    let kind = code / 10;
    let evidence = (code % 10 - 1) / 2;
    kind == kind_code(Kind::Date) || kind == kind_code(Kind::Group) || evidence == Evidence::Strong as u8
}

/// Capitalised words seen in the middle of a sentence, by the hash of their text.
fn capitalised_mid_sentence(body: &str, tokens: &[Token]) -> rustc_hash::FxHashSet<u64> {
    tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word && !t.sentence_start && is_capitalised(t.text(body)))
        .map(|t| xxh3_64(t.text(body).as_bytes()))
        .collect()
}

/// Which tokens to tag: words, numbers and punctuation within one token of a capitalised word or
/// an acronym, in runs, leaving out what the rules are sure of. An ordinary word starting a
/// sentence, followed by a lower-case word and not part of any rule's mention ("The", "But",
/// "He"), is no reason to look.
fn segments(
    body: &str,
    tokens: &[Token],
    codes: &[u8],
    lex: &Lexicon,
    capitalised: &rustc_hash::FxHashSet<u64>,
) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut lower = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word || !is_capitalised(t.text(body)) || stands(codes[i]) {
            continue;
        }
        if t.sentence_start && codes[i] == 0 {
            let next_capitalised =
                tokens.get(i + 1).is_some_and(|n| n.kind == TokenKind::Word && is_capitalised(n.text(body)));
            // Cheapest test first; the word is lower-cased only when it decides.
            if !next_capitalised && !capitalised.contains(&xxh3_64(t.text(body).as_bytes())) {
                let text = t.text(body);
                let english = if text.is_ascii() {
                    lex.is_english_lowercased(text) // on the stack
                } else {
                    lower.clear();
                    lower.extend(text.chars().flat_map(char::to_lowercase));
                    lex.is_english(&lower)
                };
                if english {
                    continue;
                }
            }
        }
        let (s, e) = (i.saturating_sub(1), (i + 2).min(tokens.len()));
        match out.last_mut() {
            Some(last) if last.1 >= s => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// How many token infos a thread keeps between articles before it starts afresh: a few MB.
const INFO_CACHE: usize = 1 << 14;

thread_local! {
    /// Token infos by text, marks and rule code, across the articles a thread extracts: the same
    /// names and words recur from article to article ("the", "said", "President", a country).
    static INFOS: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Info>> = Default::default();
}

/// [`info`], remembered: `info` reads nothing of a token but its text, its marks (kind,
/// sentence start, line break, possessive: below 32) and its rule code (below 128), and the
/// lexicon never changes. The key is the text followed by the marks and the code as two ASCII
/// characters, built in `cache_key` (no allocation unless the info is new).
#[allow(clippy::too_many_arguments)]
fn cached_info(
    body: &str,
    t: &Token,
    marks: u8,
    lex: &Lexicon,
    rule: u8,
    cache_key: &mut String,
    lower_buf: &mut String,
    key_buf: &mut String,
) -> Info {
    cache_key.clear();
    cache_key.push_str(t.text(body));
    cache_key.push(char::from(marks & 0x7f));
    cache_key.push(char::from(rule & 0x7f));
    if marks >= 0x80 || rule >= 0x80 {
        return info(body, t, lex, rule, lower_buf, key_buf); // never so; exact whatever happens
    }
    INFOS.with_borrow_mut(|cache| {
        if let Some(found) = cache.get(cache_key.as_str()) {
            return found.clone();
        }
        let computed = info(body, t, lex, rule, lower_buf, key_buf);
        if cache.len() >= INFO_CACHE {
            cache.clear();
        }
        cache.insert(cache_key.as_str().into(), computed.clone());
        computed
    })
}

fn info(body: &str, t: &Token, lex: &Lexicon, rule: u8, lower_buf: &mut String, key_buf: &mut String) -> Info {
    let text = t.text(body);
    lower_buf.clear();
    if text.is_ascii() {
        // The same, a byte at a time.
        lower_buf.extend(text.bytes().map(|b| if b.is_ascii_digit() { '0' } else { b.to_ascii_lowercase() as char }));
    } else {
        for c in text.chars() {
            if c.is_numeric() {
                lower_buf.push('0');
            } else {
                lower_buf.extend(c.to_lowercase());
            }
        }
    }
    let lower = lower_buf.as_str();
    let mut flags = 0;
    let cap = t.kind == TokenKind::Word && is_capitalised(text);
    let set = |flags: &mut u32, bit: u32, on: bool| {
        if on {
            *flags |= bit;
        }
    };
    set(&mut flags, F_CAP, cap);
    set(&mut flags, F_NUMBER, t.kind == TokenKind::Number);
    set(&mut flags, F_PUNCT, t.kind == TokenKind::Punct);
    set(&mut flags, F_SENTENCE_START, t.sentence_start);
    set(&mut flags, F_POSSESSIVE, t.possessive);
    set(&mut flags, F_HYPHEN, text.contains('-'));
    let mut known = 0;
    let mut cue = 0;
    if t.kind == TokenKind::Word {
        let acronym = is_acronym(text);
        // One look-up for every list the lower-cased word may be in.
        let lists = lex.word_lists(lower);
        set(&mut flags, F_ENGLISH, lists.has(Lists::ENGLISH));
        // Name lists and heads speak of capitalised words only.
        if cap {
            set(&mut flags, F_GIVEN, lists.has(Lists::FIRST_NAME | Lists::WORLD_GIVEN));
            set(&mut flags, F_SURNAME, lists.has(Lists::WORLD_SURNAME));
            set(&mut flags, F_ORG_HEAD, lists.has(Lists::ORGANISATION_HEAD));
            set(&mut flags, F_PLACE_HEAD, lists.has(Lists::PLACE_HEAD));
        }
        set(&mut flags, F_ACRONYM, acronym);
        set(&mut flags, F_NOT_ENTITY_ACRONYM, acronym && lex.not_entity_acronyms.contains(text));
        set(&mut flags, F_PARTICLE, super::NAME_PARTICLES.contains(&lower));
        set(&mut flags, F_ALL_CAPS_LONG, acronym && text.len() > 5);
        set(&mut flags, F_SINGLE_INITIAL, text.chars().count() == 1 && cap);
        let plural = cap && lower.ends_with('s') && !lower.ends_with("ss") && lex.is_english(&lower[..lower.len() - 1]);
        set(&mut flags, F_PLURAL_S, plural);
        if let Some(k) = lists.cue {
            cue = kind_code(k);
        }
        if cap || acronym || text.contains('.') {
            key_buf.clear();
            crate::core::text::fold_key_into(text, true, key_buf);
            let key = key_buf.as_str();
            let by_key = lex.key_lists(key);
            set(&mut flags, F_TITLE, by_key.has(Lists::TITLE));
            set(&mut flags, F_DIRECTION, by_key.has(Lists::DIRECTION));
            if let Some(k) = lex.lookup_written(text, key) {
                known = kind_code(k.kind);
            }
            set(&mut flags, F_SMALL_PLACE, by_key.has(Lists::SMALL_PLACE));
            set(&mut flags, F_WORDNET_PERSON, by_key.has(Lists::WORDNET_PERSON));
            set(&mut flags, F_WORDNET_ORGANISATION, by_key.has(Lists::WORDNET_ORGANISATION));
            set(&mut flags, F_WORDNET_PLACE, by_key.has(Lists::WORDNET_PLACE));
            set(&mut flags, F_WORDNET_OTHER, by_key.has(Lists::WORDNET_OTHER));
            set(&mut flags, F_BRAND, by_key.has(Lists::BRAND));
        } else {
            set(&mut flags, F_TITLE, lists.has(Lists::TITLE));
        }
    }
    let mut prefixes = [0; 3];
    let mut suffixes = [0; 4];
    let mut starts = lower.char_indices().map(|(k, _)| k).skip(1).chain(std::iter::once(lower.len()));
    for p in prefixes.iter_mut() {
        let end = starts.next().unwrap_or(lower.len());
        *p = xxh3_64(&lower.as_bytes()[..end]);
    }
    let mut ends = lower.char_indices().rev().map(|(k, _)| k);
    for s in suffixes.iter_mut() {
        let start = ends.next().unwrap_or(0);
        *s = xxh3_64(&lower.as_bytes()[start..]);
    }
    Info {
        lower: xxh3_64(lower.as_bytes()),
        exact: xxh3_64(text.as_bytes()),
        shape: shape_hash(text),
        prefixes,
        suffixes,
        flags,
        known,
        cue,
        rule,
    }
}

/// The features of every token to tag in `body`, given the rule mentions (sorted by start).
pub fn sequence(body: &str, tokens: &[Token], rules: &[RawMention], lex: &Lexicon) -> Sequence {
    let codes = rule_codes(tokens, rules);
    let capitalised = capitalised_mid_sentence(body, tokens);
    let segments = segments(body, tokens, &codes, lex, &capitalised);
    let mut features: Vec<Vec<Vec<u32>>> = vec![Vec::new(); segments.len()];
    visit_features(body, tokens, &segments, &codes, lex, &capitalised, |seg, f| features[seg].push(f.to_vec()));
    Sequence { segments, features }
}

/// Calls `visit(segment, features)` for every token of every segment, in order, reusing one
/// buffer (no allocation per token).
fn visit_features(
    body: &str,
    tokens: &[Token],
    segments: &[(usize, usize)],
    codes: &[u8],
    lex: &Lexicon,
    capitalised: &rustc_hash::FxHashSet<u64>,
    mut visit: impl FnMut(usize, &[u32]),
) {
    let mut buf = String::new();
    let mut key_buf = String::new();
    let mut cache_key = String::new();
    let missing = Info { flags: F_MISSING, lower: 1, exact: 1, shape: 1, ..Info::default() };
    // Infos for the segments and two tokens either side, each computed once: by token, the
    // place of its info in `computed` (most tokens have none, so no info is stored for them).
    const NONE: u32 = u32::MAX;
    let mut at: Vec<u32> = vec![NONE; tokens.len()];
    let mut computed: Vec<Info> = Vec::new();
    // Tokens alike (text, kind, flags, rule code) have one info, worked out once per article:
    // names, "the", commas recur. `info` reads nothing else of a token.
    let mut alike: rustc_hash::FxHashMap<(&str, u8, u8), u32> = Default::default();
    for &(s, e) in segments {
        for k in s.saturating_sub(2)..(e + 2).min(tokens.len()) {
            if at[k] == NONE {
                let t = &tokens[k];
                let marks = t.kind as u8
                    | u8::from(t.sentence_start) << 2
                    | u8::from(t.line_before) << 3
                    | u8::from(t.possessive) << 4;
                at[k] = *alike.entry((t.text(body), marks, codes[k])).or_insert_with(|| {
                    let mut i = cached_info(body, t, marks, lex, codes[k], &mut cache_key, &mut buf, &mut key_buf);
                    if t.sentence_start && capitalised.contains(&i.exact) {
                        i.flags |= F_CAPITAL_ELSEWHERE;
                    }
                    computed.push(i);
                    computed.len() as u32 - 1
                });
            }
        }
    }
    let mut f: Vec<u32> = Vec::with_capacity(96);
    for (seg_index, &(s, e)) in segments.iter().enumerate() {
        let get = |k: isize| -> &Info {
            if k < 0 {
                &missing
            } else {
                at.get(k as usize).and_then(|&a| computed.get(a as usize)).unwrap_or(&missing)
            }
        };
        for i in s..e {
            let i = i as isize;
            let (p2, p1, c, n1, n2) = (get(i - 2), get(i - 1), get(i), get(i + 1), get(i + 2));
            f.clear();
            f.push(mix(0, 0));
            f.push(mix(1, c.lower));
            f.push(mix(2, c.exact));
            f.push(mix(3, p1.lower));
            f.push(mix(4, n1.lower));
            f.push(mix(5, p2.lower));
            f.push(mix(6, n2.lower));
            f.push(mix(7, c.shape));
            f.push(mix(8, p1.shape));
            f.push(mix(9, n1.shape));
            f.push(mix(10, p1.shape.rotate_left(21) ^ c.shape ^ n1.shape.rotate_left(42)));
            f.push(mix(11, p1.lower.rotate_left(17) ^ c.shape));
            f.push(mix(12, c.shape.rotate_left(17) ^ n1.lower));
            for (k, &p) in c.prefixes.iter().enumerate() {
                f.push(mix(13 + k as u64, p));
            }
            for (k, &x) in c.suffixes.iter().enumerate() {
                f.push(mix(16 + k as u64, x));
            }
            // The flags set on any of the three, in order (the same features as every bit in turn).
            let mut any = (c.flags | ((p1.flags | n1.flags) & NEIGHBOUR_FLAGS)) & ((1 << FLAG_COUNT) - 1);
            while any != 0 {
                let bit = any.trailing_zeros();
                any &= any - 1;
                if c.flags & (1 << bit) != 0 {
                    f.push(mix(20, bit as u64));
                }
                if p1.flags & NEIGHBOUR_FLAGS & (1 << bit) != 0 {
                    f.push(mix(21, bit as u64));
                }
                if n1.flags & NEIGHBOUR_FLAGS & (1 << bit) != 0 {
                    f.push(mix(22, bit as u64));
                }
            }
            let casing = c.flags & (F_CAP | F_ENGLISH | F_SENTENCE_START | F_GIVEN | F_ACRONYM);
            f.push(mix(23, casing as u64));
            f.push(mix(24, (casing as u64) << 8 | (p1.flags & (F_CAP | F_TITLE | F_MISSING)) as u64));
            f.push(mix(25, c.known as u64));
            f.push(mix(26, (c.known as u64) << 8 | p1.known as u64));
            f.push(mix(27, n1.cue as u64));
            f.push(mix(28, (n1.cue as u64) << 8 | (c.flags & F_CAP) as u64));
            f.push(mix(29, p1.cue as u64));
            f.push(mix(30, c.rule as u64));
            f.push(mix(31, (c.rule as u64) << 32 ^ c.shape));
            f.push(mix(32, (p1.rule as u64) << 8 | n1.rule as u64));
            f.push(mix(33, (c.rule as u64) << 8 | p1.rule as u64));
            f.push(mix(34, (c.rule as u64) << 8 | n1.rule as u64));
            f.push(mix(35, p1.lower.rotate_left(7) ^ c.lower));
            f.push(mix(36, c.lower.rotate_left(7) ^ n1.lower));
            // What the lists say of the word, all together: the tagger learns how far to trust
            // each combination (a capitalised word in no list, a brand that is also a surname).
            f.push(mix(37, evidence(c)));
            visit(seg_index, &f);
        }
    }
}

/// What the word lists say of a token, as one value: the name lists it is in or not, casing
/// and the known kind (a capitalised word in no list is the common case of an unlisted name).
fn evidence(i: &Info) -> u64 {
    const LISTED: u32 = F_CAP
        | F_ENGLISH
        | F_GIVEN
        | F_SURNAME
        | F_TITLE
        | F_ORG_HEAD
        | F_PLACE_HEAD
        | F_ACRONYM
        | F_SENTENCE_START
        | F_SMALL_PLACE
        | F_WORDNET_PERSON
        | F_WORDNET_ORGANISATION
        | F_WORDNET_PLACE
        | F_WORDNET_OTHER
        | F_BRAND
        | F_MISSING
        | F_PUNCT
        | F_NUMBER;
    (i.flags & LISTED) as u64 | (i.known as u64) << 32
}

/// Spans `(first token, end token, type)` from a segment's labels (type 1 PER … 4 MISC).
pub fn spans(offset: usize, labels: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        if labels[i] == 0 {
            i += 1;
            continue;
        }
        let ty = type_of(labels[i]);
        let mut j = i + 1;
        while j < labels.len() && is_inside(labels[j]) && type_of(labels[j]) == ty {
            j += 1;
        }
        out.push((offset + i, offset + j, ty));
        i = j;
    }
    out
}

/// The tagger's spans over an article: `(first token, end token, kind)`.
pub fn tag(
    model: &Model,
    body: &str,
    tokens: &[Token],
    rules: &[RawMention],
    lex: &Lexicon,
) -> Vec<(usize, usize, Kind)> {
    let codes = rule_codes(tokens, rules);
    let capitalised = capitalised_mid_sentence(body, tokens);
    let segments = segments(body, tokens, &codes, lex, &capitalised);
    // Every segment's emissions one after another, in order: one vector, not one per segment.
    let mut emissions: Vec<[f32; N]> = Vec::with_capacity(segments.iter().map(|&(s, e)| e - s).sum());
    visit_features(body, tokens, &segments, &codes, lex, &capitalised, |_, f| {
        let mut e = [0.0; N];
        model.emissions(f, &mut e);
        emissions.push(e);
    });
    let mut out = Vec::new();
    let transition = model.masked_transitions();
    let (mut scratch, mut labels) = (Default::default(), Vec::new());
    let mut at = 0;
    for &(s, e) in &segments {
        model.viterbi_into(&transition, &emissions[at..at + (e - s)], &mut scratch, &mut labels);
        at += e - s;
        out.extend(spans(s, &labels).into_iter().map(|(a, b, ty)| (a, b, kind_of(ty))));
    }
    out
}

/// Averaged structured perceptron training.
pub struct Trainer {
    pub model: Model,
    sum_e: Vec<f32>,
    sum_t: Vec<f32>,
    step: f32,
}

impl Default for Trainer {
    fn default() -> Self {
        Trainer { model: Model::zero(), sum_e: vec![0.0; BUCKETS * N], sum_t: vec![0.0; (N + 1) * N], step: 1.0 }
    }
}

impl Trainer {
    fn update(&mut self, features: &[Vec<u32>], labels: &[usize], delta: f32) {
        let c = self.step;
        let mut prev = START;
        for (f, &t) in features.iter().zip(labels) {
            for &x in f {
                let k = x as usize * N + t;
                self.model.emission[k] += delta;
                self.sum_e[k] += c * delta;
            }
            let k = prev * N + t;
            self.model.transition[k] += delta;
            self.sum_t[k] += c * delta;
            prev = t;
        }
    }

    /// One example: decode, and if wrong, move the weights towards the gold labels.
    pub fn learn(&mut self, features: &[Vec<u32>], gold: &[usize]) -> bool {
        let guess = self.model.decode(features);
        let right = guess == gold;
        if !right {
            self.update(features, gold, 1.0);
            self.update(features, &guess, -1.0);
        }
        self.step += 1.0;
        right
    }

    /// The averaged weights.
    pub fn averaged(&self) -> Model {
        let c = self.step;
        Model {
            emission: self.model.emission.iter().zip(&self.sum_e).map(|(w, s)| w - s / c).collect(),
            transition: self.model.transition.iter().zip(&self.sum_t).map(|(w, s)| w - s / c).collect(),
            quantised: Vec::new(),
            scale: 1.0,
        }
    }
}

/// Gold labels for tokens from character spans `(start, end, type)` (type 1 PER … 4 MISC): a
/// token starting a span is B, a token inside one is I.
pub fn gold_labels(tokens: &[Token], spans: &[(usize, usize, usize)]) -> Vec<usize> {
    let mut labels = vec![0; tokens.len()];
    for (i, t) in tokens.iter().enumerate() {
        if let Some(&(s, _, ty)) = spans.iter().find(|&&(s, e, _)| t.start >= s && t.start < e) {
            labels[i] = if t.start == s { ty * 2 - 1 } else { ty * 2 };
        }
    }
    // An I with no B before it (the tokenizer split differently) starts the span.
    for i in 0..labels.len() {
        if is_inside(labels[i]) && (i == 0 || type_of(labels[i - 1]) != type_of(labels[i])) {
            labels[i] -= 1;
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Pakistan"), "Xxx");
        assert_eq!(shape("TTP"), "XX");
        assert_eq!(shape("Tehrik-i-Taliban"), "Xxx-x-Xxx");
        assert_eq!(shape("2023"), "dd");
        let strong = kind_code(Kind::Place) * 10 + (Evidence::Strong as u8) * 2 + 1 + 1;
        let cue = kind_code(Kind::Person) * 10 + (Evidence::Cue as u8) * 2 + 1;
        assert!(stands(strong) && !stands(cue) && !stands(0));
        for w in ["Pakistan", "U.S.", "Wai-ching", "Αθήνα", " a  b", "McDONALD's", "1990s", "AAAbbb---"] {
            assert_eq!(shape_hash(w), xxh3_64(shape(w).as_bytes()));
        }
    }

    #[test]
    fn proper_name_lists_are_features_of_a_capitalised_word() {
        let body = "Lennon met Accenture staff in Cardiff at the Food and Drug Administration.";
        let tokens = super::super::tokens::tokenize(body);
        let lex = Lexicon::get();
        let flags = |word: &str| {
            let t = tokens.iter().find(|t| t.text(body) == word).expect("token");
            info(body, t, lex, 0, &mut String::new(), &mut String::new()).flags
        };
        assert_ne!(flags("Lennon") & F_WORDNET_PERSON, 0);
        assert_ne!(flags("Accenture") & F_BRAND, 0);
        assert_ne!(flags("Cardiff") & F_WORDNET_PLACE, 0);
        // An ordinary word of a listed name says nothing alone.
        assert_eq!(flags("Food") & (F_WORDNET_ORGANISATION | F_BRAND), 0);
        assert_eq!(flags("staff") & (F_WORDNET_PERSON | F_BRAND), 0);
    }

    #[test]
    fn viterbi_never_starts_a_name_with_inside() {
        let mut model = Model::zero();
        // Every token strongly prefers I-PER; the decoder must still begin with B-PER.
        for f in 0..4u32 {
            model.emission[f as usize * N + 2] = 10.0;
            model.emission[f as usize * N + 1] = 1.0;
        }
        let labels = model.decode(&[vec![0], vec![1], vec![2]]);
        assert_eq!(labels, vec![1, 2, 2]);
        assert_eq!(spans(5, &labels), vec![(5, 8, 1)]);
    }

    #[test]
    fn weights_survive_quantising_and_compression() {
        let mut model = Model::zero();
        model.emission[7] = 2.5;
        model.emission[BUCKETS * N - 1] = -1.25;
        model.transition[3] = 0.5;
        let back = Model::from_bytes(&model.to_bytes()).expect("round trip");
        let weight = |k: usize| back.quantised[k] as f32 * back.scale;
        assert!((weight(7) - 2.5).abs() < 1e-3);
        assert!((weight(BUCKETS * N - 1) + 1.25).abs() < 1e-3);
        assert!((back.transition[3] - 0.5).abs() < 1e-3);
        assert!(Model::from_bytes(b"NRNER01\0garbage").is_none());
        assert!(Model::from_bytes(b"").is_none());
    }

    #[test]
    fn perceptron_learns_a_separable_pattern() {
        let mut trainer = Trainer::default();
        let data = [(vec![vec![10], vec![11]], vec![1, 2]), (vec![vec![12], vec![13]], vec![0, 5])];
        for _ in 0..5 {
            for (f, g) in &data {
                trainer.learn(f, g);
            }
        }
        let model = trainer.averaged();
        for (f, g) in &data {
            assert_eq!(&model.decode(f), g);
        }
    }

    #[test]
    fn viterbi_finds_the_best_allowed_labels_of_every_short_segment() {
        // Against every label sequence of up to three tokens, with pseudo-random weights.
        let mut model = Model::zero();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 2000) as f32 / 100.0 - 10.0
        };
        for w in model.transition.iter_mut() {
            *w = next();
        }
        for n in 1..=3usize {
            for _ in 0..20 {
                let emissions: Vec<[f32; N]> = (0..n).map(|_| std::array::from_fn(|_| next())).collect();
                let score = |labels: &[usize]| {
                    let mut prev = START;
                    let mut total = 0.0;
                    for (e, &t) in emissions.iter().zip(labels) {
                        if !allowed(prev, t) {
                            return f32::NEG_INFINITY;
                        }
                        total += model.transition[prev * N + t] + e[t];
                        prev = t;
                    }
                    total
                };
                let best = (0..N.pow(n as u32))
                    .map(|mut k| {
                        (0..n)
                            .map(|_| {
                                let t = k % N;
                                k /= N;
                                t
                            })
                            .collect::<Vec<_>>()
                    })
                    .map(|labels| score(&labels))
                    .fold(f32::NEG_INFINITY, f32::max);
                let found = model.viterbi(&emissions);
                assert!((score(&found) - best).abs() < 1e-3, "{found:?}: {} against {best}", score(&found));
            }
        }
    }

    #[test]
    fn token_infos_remembered_from_other_articles_change_nothing() {
        let article = "Prime Minister Shehbaz Sharif met General Asim Munir in Rawalpindi. Sharif said \
                       the Pakistan Army would act. The TTP (Tehrik-i-Taliban Pakistan) denied it.";
        let other = "Munir flew to Kabul. Officials of the Pakistan Army said Sharif agreed. The TTP struck.";
        INFOS.with_borrow_mut(|cache| cache.clear());
        let cold = crate::core::extract::extract(article, None);
        let _ = crate::core::extract::extract(other, None);
        let warm = crate::core::extract::extract(article, None);
        assert!(INFOS.with_borrow(|cache| !cache.is_empty()));
        assert_eq!(cold, warm);
    }
}
