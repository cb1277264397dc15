//! Turns jieba's dictionary (`data/jieba/dict.txt`, the one jieba-rs embeds)
//! into tables the segmenter reads in place from the binary, so that no
//! process builds a 350k-word trie at start-up (see `src/segment.rs`).
//!
//! Written to `OUT_DIR`:
//! - `dict_words.bin`: the words, sorted by their bytes, one after another;
//! - `dict_ends.bin`: per word, the end of its bytes (u32, little endian);
//! - `dict_freqs.bin`: per word, its frequency (u32);
//! - `dict_tags.bin`: per word, the index of its tag in `TAGS` (u8);
//! - `dict_buckets.bin`: per bucket, its key (u64: the first character << 42
//!   | the second << 21 | the third, 0 for those a word does not have) and
//!   its words `start..end` (u32, u32), sorted by key: the words a text can
//!   hold at a position are those of the buckets of its one, two and three
//!   characters there;
//! - `dict.rs`: `TAGS` and `TOTAL` (the sum of all frequencies).
//!
//! And jieba-rs's part-of-speech model for words not in the dictionary
//! (`data/jieba/posseg.txt`), read the way jieba-rs reads it at run time
//! (`parse_posseg_data`), so that no process parses it:
//! - `pos_start.bin`: per state (position × 64 + tag), the start log-prob (f64);
//! - `pos_trans.bin`: per (to, from) state, the transition log-prob (f64);
//! - `pos_rows.bin`: per row, the start of its states (u32) and the bounds
//!   of its position groups (5 × u16); row 0 is empty;
//! - `pos_states.bin`, `pos_emits.bin`: the rows' states (u16) and their
//!   emission log-probs (f64), back to back;
//! - `pos_chars.bin`: per character with a row, the character (u32) and the
//!   row (u32), sorted by character;
//! - `dict.rs`: `POS_TAGS` too.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let src = "data/jieba/dict.txt";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{src}: {e}"));

    // word, frequency, tag; a word listed twice keeps its last line (as
    // jieba-rs's trie does), while every line counts toward the total
    let mut entries: Vec<(&str, u32, &str, usize)> = Vec::new();
    let mut total: u64 = 0;
    for (n, line) in text.lines().enumerate() {
        let mut it = line.split_ascii_whitespace();
        let Some(word) = it.next() else { continue };
        let freq: u32 = it
            .next()
            .map_or(Ok(0), str::parse)
            .unwrap_or_else(|e| panic!("{src}:{}: frequency: {e}", n + 1));
        let tag = it.next().unwrap_or("");
        assert!(!word.contains('\0'), "{src}:{}: NUL in a word", n + 1);
        total += u64::from(freq);
        entries.push((word, freq, tag, n));
    }
    entries.sort_by(|a, b| a.0.cmp(b.0).then(b.3.cmp(&a.3)));
    entries.dedup_by(|later, first| later.0 == first.0);

    let mut tags: Vec<&str> = entries.iter().map(|e| e.2).collect();
    tags.sort_unstable();
    tags.dedup();
    assert!(tags.len() <= 256, "{src}: more than 256 tags");

    let mut words = Vec::new();
    let mut ends = Vec::new();
    let mut freqs = Vec::new();
    let mut tag_ids = Vec::new();
    let mut buckets: Vec<(u64, u32, u32)> = Vec::new();
    for (i, (word, freq, tag, _)) in entries.iter().enumerate() {
        words.extend_from_slice(word.as_bytes());
        ends.extend_from_slice(&(words.len() as u32).to_le_bytes());
        freqs.extend_from_slice(&freq.to_le_bytes());
        tag_ids.push(tags.binary_search(tag).expect("tag listed") as u8);
        // a word's bucket: its first character, its first two for a word of
        // two, its first three for a longer one
        let mut chars = word.chars().map(|c| c as u64);
        let first = chars.next().expect("a word");
        let key = first << 42 | chars.next().map_or(0, |c| c << 21) | chars.next().unwrap_or(0);
        match buckets.last_mut() {
            Some(b) if b.0 == key => b.2 = i as u32 + 1,
            _ => buckets.push((key, i as u32, i as u32 + 1)),
        }
    }
    // sorted by bytes is sorted by characters, so the keys come in order
    assert!(buckets.windows(2).all(|w| w[0].0 < w[1].0), "{src}: buckets out of order");
    let mut bucket_bytes = Vec::with_capacity(buckets.len() * 16);
    for (key, start, end) in &buckets {
        bucket_bytes.extend_from_slice(&key.to_le_bytes());
        bucket_bytes.extend_from_slice(&start.to_le_bytes());
        bucket_bytes.extend_from_slice(&end.to_le_bytes());
    }

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let write = |name: &str, bytes: &[u8]| std::fs::write(out.join(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    write("dict_words.bin", &words);
    write("dict_ends.bin", &ends);
    write("dict_freqs.bin", &freqs);
    write("dict_tags.bin", &tag_ids);
    write("dict_buckets.bin", &bucket_bytes);
    let mut rs = String::new();
    writeln!(rs, "/// The dictionary's part-of-speech tags, sorted.").unwrap();
    writeln!(rs, "pub static TAGS: [&str; {}] = {:?};", tags.len(), tags).unwrap();
    writeln!(rs, "/// The sum of the frequencies of all the dictionary's lines.").unwrap();
    writeln!(rs, "pub const TOTAL: usize = {total};").unwrap();
    posseg(&write, &mut rs);
    write("dict.rs", rs.as_bytes());
}

const MIN_FLOAT: f64 = -3.14e100;
const NUM_POS: usize = 4;
const NUM_TAGS: usize = 64;
const NUM_STATES: usize = NUM_POS * NUM_TAGS;

/// jieba-rs 0.11's `parse_posseg_data`, step for step (the same sections,
/// the same overriding of repeated entries, the same rows), written out.
fn posseg(write: &dyn Fn(&str, &[u8]), rs: &mut String) {
    let src = "data/jieba/posseg.txt";
    println!("cargo:rerun-if-changed={src}");
    let data = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let num = |s: &str, n: usize| -> usize { s.trim().parse().unwrap_or_else(|e| panic!("{src}:{n}: {s:?}: {e}")) };
    let prob = |s: &str, n: usize| -> f64 { s.trim().parse().unwrap_or_else(|e| panic!("{src}:{n}: {s:?}: {e}")) };
    let mut tags: Vec<String> = Vec::new();
    let mut start_prob = vec![MIN_FLOAT; NUM_STATES];
    let mut trans_prob = vec![MIN_FLOAT; NUM_STATES * NUM_STATES]; // [to][from]
    let mut emit_prob: std::collections::BTreeMap<char, Vec<(u16, f64)>> = Default::default();
    let mut char_state_tab: std::collections::BTreeMap<char, Vec<u16>> = Default::default();
    let mut section = "";
    for (i, line) in data.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('@') {
            section = match line {
                "@TAGS" => "tags",
                "@START" => "start",
                "@TRANS" => "trans",
                "@EMIT" => "emit",
                "@CHAR_STATE" => "char_state",
                _ => "",
            };
            continue;
        }
        let state = |pos: &str, tag: &str| num(pos, n) * NUM_TAGS + num(tag, n);
        match section {
            "tags" => {
                tags = line.split(',').map(|s| s.trim().to_string()).collect();
                assert_eq!(tags.len(), NUM_TAGS, "{src}:{n}: {NUM_TAGS} tags");
            }
            "start" => {
                let p: Vec<&str> = line.splitn(3, ',').collect();
                start_prob[state(p[0], p[1])] = prob(p[2], n);
            }
            "trans" => {
                let mut segments = line.split('|');
                let from: Vec<&str> = segments.next().expect("a state").splitn(2, ',').collect();
                let from = state(from[0], from[1]);
                for seg in segments.map(str::trim).filter(|s| !s.is_empty()) {
                    let p: Vec<&str> = seg.splitn(3, ',').collect();
                    trans_prob[state(p[0], p[1]) * NUM_STATES + from] = prob(p[2], n);
                }
            }
            "emit" => {
                let mut segments = line.split('|');
                let st: Vec<&str> = segments.next().expect("a state").splitn(2, ',').collect();
                let si = state(st[0], st[1]) as u16;
                for seg in segments.map(str::trim).filter(|s| !s.is_empty()) {
                    let mut parts = seg.rsplitn(2, ',');
                    let p = prob(parts.next().expect("a prob"), n);
                    let ch = parts.next().and_then(|c| c.chars().next()).unwrap_or_else(|| panic!("{src}:{n}: no character"));
                    let entries = emit_prob.entry(ch).or_default();
                    match entries.iter_mut().find(|(s, _)| *s == si) {
                        Some(entry) => entry.1 = p,
                        None => entries.push((si, p)),
                    }
                }
            }
            "char_state" => {
                let mut segments = line.split('|');
                let ch = segments.next().and_then(|c| c.chars().next()).unwrap_or_else(|| panic!("{src}:{n}: no character"));
                let states: Vec<u16> = segments
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|seg| {
                        let p: Vec<&str> = seg.splitn(2, ',').collect();
                        state(p[0], p[1]) as u16
                    })
                    .collect();
                if states.is_empty() {
                    char_state_tab.remove(&ch);
                } else {
                    char_state_tab.insert(ch, states);
                }
            }
            _ => {}
        }
    }
    // rows: a character's states sorted, with their emissions
    let mut rows: Vec<(char, Vec<(u16, f64)>)> = Vec::new();
    for (ch, states) in &char_state_tab {
        let emits = emit_prob.get(ch).cloned().unwrap_or_default();
        rows.push((*ch, states.iter().map(|&s| (s, emits.iter().find(|(es, _)| *es == s).map_or(MIN_FLOAT, |&(_, p)| p))).collect()));
    }
    for (ch, emits) in &emit_prob {
        if !char_state_tab.contains_key(ch) {
            rows.push((*ch, emits.clone()));
        }
    }
    rows.sort_by_key(|(ch, _)| *ch);
    let (mut row_bytes, mut state_bytes, mut emit_bytes, mut char_bytes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    row_bytes.extend_from_slice(&0u32.to_le_bytes());
    row_bytes.extend_from_slice(&[0u8; 2 * (NUM_POS + 1)]);
    let mut count = 0u32;
    for (r, (ch, mut states)) in rows.into_iter().enumerate() {
        states.sort_by_key(|&(s, _)| s);
        row_bytes.extend_from_slice(&count.to_le_bytes());
        for pos in 0..=NUM_POS {
            let bound = if pos == 0 { 0 } else { states.partition_point(|&(s, _)| (s as usize) / NUM_TAGS <= pos - 1) as u16 };
            row_bytes.extend_from_slice(&bound.to_le_bytes());
        }
        for (s, e) in &states {
            state_bytes.extend_from_slice(&s.to_le_bytes());
            emit_bytes.extend_from_slice(&e.to_le_bytes());
        }
        count += states.len() as u32;
        char_bytes.extend_from_slice(&(ch as u32).to_le_bytes());
        char_bytes.extend_from_slice(&(r as u32 + 1).to_le_bytes());
    }
    let f64s = |v: &[f64]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    write("pos_start.bin", &f64s(&start_prob));
    write("pos_trans.bin", &f64s(&trans_prob));
    write("pos_rows.bin", &row_bytes);
    write("pos_states.bin", &state_bytes);
    write("pos_emits.bin", &emit_bytes);
    write("pos_chars.bin", &char_bytes);
    writeln!(rs, "/// The part-of-speech model's tags, by index.").unwrap();
    writeln!(rs, "pub static POS_TAGS: [&str; {NUM_TAGS}] = {tags:?};").unwrap();
}
