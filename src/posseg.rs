//! jieba's part-of-speech guess for a word not in its dictionary, over the
//! model `build.rs` wrote into the binary.
//!
//! jieba-rs tags such a word with a Viterbi search over its part-of-speech
//! HMM (64 tags × B/M/E/S), whose 2.5 MB model it decompresses and parses on
//! first use: ~50 ms of every run that tags an unknown word, ~9% of a
//! one-thread run over the 11 MB corpus. This is jieba-rs 0.11's `guess_tag`
//! and `viterbi_posseg`, the same arithmetic in the same order, over tables
//! read in place; `segment.rs`'s test holds every tag to jieba-rs's.

use crate::segment::dict::POS_TAGS;
use crate::segment::u32_at;

static START: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pos_start.bin"));
static TRANS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pos_trans.bin"));
static ROWS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pos_rows.bin"));
static STATES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pos_states.bin"));
static EMITS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pos_emits.bin"));
static CHARS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pos_chars.bin"));

const MIN_FLOAT: f64 = -3.14e100;
const NUM_POS: usize = 4;
const NUM_TAGS: usize = 64;
const NUM_STATES: usize = NUM_POS * NUM_TAGS;
/// Positions that may precede each position (B after E/S, M and E after B/M, S after E/S).
const PREV_POS: [[usize; 2]; NUM_POS] = [[2, 3], [0, 1], [0, 1], [2, 3]];
const ROW_BYTES: usize = 4 + 2 * (NUM_POS + 1);

fn f64_at(bytes: &[u8], i: usize) -> f64 {
    f64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("eight bytes"))
}

fn u16_at(bytes: &[u8], i: usize) -> u16 {
    u16::from_le_bytes(bytes[2 * i..2 * i + 2].try_into().expect("two bytes"))
}

fn start_prob(s: usize) -> f64 {
    f64_at(START, s)
}

/// The transition log-prob from state `from` to state `to`.
fn trans_prob(to: usize, from: usize) -> f64 {
    f64_at(TRANS, to * NUM_STATES + from)
}

/// A character's candidate states: where they start in `STATES`, and the
/// bounds of their position groups.
#[derive(Clone, Copy)]
struct Row {
    start: usize,
    bounds: [u16; NUM_POS + 1],
}

fn row(ch: char) -> Row {
    let n = CHARS.len() / 8;
    let (mut lo, mut hi) = (0, n);
    let key = ch as u32;
    while lo < hi {
        let mid = (lo + hi) / 2;
        if u32_at(CHARS, 2 * mid) < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let r = if lo < n && u32_at(CHARS, 2 * lo) == key { u32_at(CHARS, 2 * lo + 1) as usize } else { 0 };
    let bytes = &ROWS[r * ROW_BYTES..(r + 1) * ROW_BYTES];
    let mut bounds = [0u16; NUM_POS + 1];
    for (p, b) in bounds.iter_mut().enumerate() {
        *b = u16_at(&bytes[4..], p);
    }
    Row { start: u32_at(bytes, 0) as usize, bounds }
}

/// The states of a row with position `pos` (all of them with `None`), each
/// with its emission log-prob.
fn states(row: Row, pos: Option<usize>) -> impl Iterator<Item = (u16, f64)> {
    let (from, to) = match pos {
        Some(p) => (row.bounds[p] as usize, row.bounds[p + 1] as usize),
        None => (0, row.bounds[NUM_POS] as usize),
    };
    (row.start + from..row.start + to).map(|i| (u16_at(STATES, i), f64_at(EMITS, i)))
}

/// Bounds of the position groups of states sorted ascending.
fn pos_bounds(states: &[(u16, f64)]) -> [u16; NUM_POS + 1] {
    let mut bounds = [0u16; NUM_POS + 1];
    for pos in 0..NUM_POS {
        bounds[pos + 1] = states.partition_point(|&(s, _)| s as usize / NUM_TAGS <= pos) as u16;
    }
    bounds
}

fn tag_of(state: usize) -> &'static str {
    POS_TAGS[state % NUM_TAGS]
}

/// Viterbi over the characters of `word`: each decoded span's byte length
/// and tag, in order.
fn spans(word: &str, mut emit: impl FnMut(usize, &'static str)) {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let c_len = chars.len();
    if c_len == 0 {
        return;
    }
    let str_end = word.len();
    if c_len == 1 {
        let mut best: Option<(f64, u16)> = None;
        for (s, em) in states(row(chars[0].1), Some(3)) {
            let prob = start_prob(s as usize) + em;
            if prob > MIN_FLOAT && best.is_none_or(|(bp, _)| prob >= bp) {
                best = Some((prob, s));
            }
        }
        emit(str_end, best.map_or("x", |(_, s)| tag_of(s as usize)));
        return;
    }
    let mut live: Vec<(u16, f64)> = Vec::new();
    for (s, em) in states(row(chars[0].1), None) {
        let prob = start_prob(s as usize) + em;
        if prob > MIN_FLOAT {
            live.push((s, prob));
        }
    }
    if live.is_empty() {
        emit(str_end, "x");
        return;
    }
    let mut bounds = pos_bounds(&live);
    let mut prev = vec![u16::MAX; c_len * NUM_STATES];
    let mut next_live = Vec::new();
    for t in 1..c_len {
        next_live.clear();
        for (s, em) in states(row(chars[t].1), None) {
            let si = s as usize;
            let mut best_prob = MIN_FLOAT;
            let mut best_prev = u16::MAX;
            for &pp in &PREV_POS[si / NUM_TAGS] {
                for &(ps, pv) in &live[bounds[pp] as usize..bounds[pp + 1] as usize] {
                    let tp = trans_prob(si, ps as usize);
                    if tp <= MIN_FLOAT {
                        continue;
                    }
                    let prob = pv + tp + em;
                    if prob > best_prob {
                        best_prob = prob;
                        best_prev = ps;
                    }
                }
            }
            prev[t * NUM_STATES + si] = best_prev;
            if best_prob > MIN_FLOAT {
                next_live.push((s, best_prob));
            }
        }
        std::mem::swap(&mut live, &mut next_live);
        if live.is_empty() {
            emit(str_end, "x");
            return;
        }
        bounds = pos_bounds(&live);
    }
    let mut best_prob = MIN_FLOAT;
    let mut best_state = u16::MAX;
    for pos in [2, 3] {
        for &(s, score) in &live[bounds[pos] as usize..bounds[pos + 1] as usize] {
            if score > best_prob {
                best_prob = score;
                best_state = s;
            }
        }
    }
    if best_state == u16::MAX || best_prob <= MIN_FLOAT {
        emit(str_end, "x");
        return;
    }
    let mut path = vec![0u16; c_len];
    path[c_len - 1] = best_state;
    for t in (1..c_len).rev() {
        path[t - 1] = prev[t * NUM_STATES + path[t] as usize];
    }
    let mut word_start = 0;
    let mut last_end = None;
    for t in 0..c_len {
        let s = path[t] as usize;
        let end = if t + 1 < c_len { chars[t + 1].0 } else { str_end };
        match s / NUM_TAGS {
            0 => word_start = chars[t].0,
            1 => {}
            2 => {
                emit(end - word_start, tag_of(s));
                last_end = Some(end);
            }
            _ => {
                emit(end - chars[t].0, tag_of(s));
                last_end = Some(end);
            }
        }
    }
    match last_end {
        None => emit(str_end, "x"),
        Some(end) if end < str_end => emit(str_end - end, "x"),
        Some(_) => {}
    }
}

/// jieba-rs's tag for a word its dictionary does not hold: `m` for digits,
/// `eng` for Latin, the tag of the longest span the model decodes for Chinese
/// (the later on a tie), else `x`.
pub fn guess_tag(word: &str) -> &'static str {
    let (mut eng, mut m) = (0, 0);
    for c in word.chars() {
        if c.is_ascii_alphanumeric() {
            eng += 1;
            if c.is_ascii_digit() {
                m += 1;
            }
        }
    }
    if eng > 0 {
        return if eng == m { "m" } else { "eng" };
    }
    if word.chars().any(is_cjk) {
        let mut best: Option<(usize, &'static str)> = None;
        spans(word, |len, tag| {
            if best.is_none_or(|(best_len, _)| len >= best_len) {
                best = Some((len, tag));
            }
        });
        return best.map_or("x", |(_, tag)| tag);
    }
    "x"
}

/// jieba-rs's CJK ranges.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2B73F}'
        | '\u{2B740}'..='\u{2B81F}'
        | '\u{2B820}'..='\u{2CEAF}'
        | '\u{2CEB0}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
    )
}
