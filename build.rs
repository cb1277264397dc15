//! Turns jieba's dictionary (`data/jieba/dict.txt`, the one jieba-rs embeds)
//! into tables the segmenter reads in place from the binary, so that no
//! process builds a 350k-word trie at start-up (see `src/segment.rs`).
//!
//! Written to `OUT_DIR`:
//! - `dict_words.bin`: the words, sorted by their bytes, one after another;
//! - `dict_ends.bin`: per word, the end of its bytes (u32, little endian);
//! - `dict_freqs.bin`: per word, its frequency (u32);
//! - `dict_tags.bin`: per word, the index of its tag in `TAGS` (u8);
//! - `dict_buckets.bin`: per bucket, its key (u64: the first character << 21
//!   | the second, 0 for a one-character word) and its words `start..end`
//!   (u32, u32), sorted by key: the words a text can hold at a position are
//!   those of the buckets of its character there and of its two characters;
//! - `dict.rs`: `TAGS` and `TOTAL` (the sum of all frequencies).

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
        let mut chars = word.chars();
        let first = chars.next().expect("a word") as u64;
        let key = first << 21 | chars.next().map_or(0, |c| c as u64);
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
    write("dict.rs", rs.as_bytes());
}
