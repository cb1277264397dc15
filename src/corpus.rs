//! Documents and the readers for `.txt` and `.jsonl` inputs. Inputs are read
//! one document at a time: a corpus is never held in memory whole.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One input document.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub text: String,
}

/// An input that was skipped, with where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct InputProblem {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub cause: String,
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.cause),
            None => write!(f, "{}: {}", self.path.display(), self.cause),
        }
    }
}

/// What a reader yields: a document or a problem; a problem never stops the run.
pub type Item = Result<Document, InputProblem>;

fn problem(path: &Path, line: Option<usize>, cause: impl Into<String>) -> InputProblem {
    InputProblem { path: path.to_path_buf(), line, cause: cause.into() }
}

/// Expands the inputs into the list of files to read, in a stable order:
/// directories are walked (sorted) for `.txt` and `.jsonl` files; `-` is
/// JSONL on standard input.
pub fn input_files(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputProblem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            files.push(input.clone()); // JSONL on standard input
        } else if input.is_dir() {
            walk(input, &mut files, &mut problems);
        } else if input.exists() {
            files.push(input.clone());
        } else {
            problems.push(problem(input, None, "no such file or directory"));
        }
    }
    (files, problems)
}

/// Total size of the input files, for progress reports (standard input counts 0).
pub fn total_bytes(files: &[PathBuf]) -> u64 {
    files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum()
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<InputProblem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(problem(dir, None, format!("cannot read directory: {e}")));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, files, problems);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("txt") | Some("jsonl")) {
            files.push(p);
        }
    }
}

/// Decodes the bytes of a text. UTF-8 is expected (a BOM is dropped). Chinese
/// news often comes as GBK; bytes that are not UTF-8 but decode as GB18030
/// without a single error are taken as GB18030, since a GB18030 decoder accepts
/// almost no binary or other-encoding text without error. Anything with NUL
/// bytes is binary and refused.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes), not a text document".into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // validated with SIMD (std's validation was ~10 instructions a byte of
    // Chinese text, 2.7% of a corpus run); std again only for the error's offset
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if !had_errors && text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                Ok(text.into_owned())
            } else {
                Err(format!(
                    "not UTF-8 (invalid byte at offset {}) and not GB18030 either; convert it with `iconv -t UTF-8`",
                    e.valid_up_to()
                ))
            }
        }
    }
}

/// Reads every input in order, handing each document (or problem) to `f`.
pub fn for_each_document(files: &[PathBuf], mut f: impl FnMut(Item)) {
    for path in files {
        let is_jsonl = path.extension().and_then(|e| e.to_str()) == Some("jsonl");
        if path.as_os_str() == "-" {
            read_jsonl_from(Path::new("<stdin>"), std::io::stdin().lock(), &mut f);
        } else if is_jsonl {
            read_jsonl(path, &mut f);
        } else {
            f(read_txt(path));
        }
    }
}

fn read_txt(path: &Path) -> Item {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut file| file.read_to_end(&mut bytes))
        .map_err(|e| problem(path, None, format!("cannot read: {e}")))?;
    let text = decode(&bytes).map_err(|c| problem(path, None, c))?;
    if text.trim().is_empty() {
        return Err(problem(path, None, "empty document"));
    }
    let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Document { id, text })
}

fn read_jsonl(path: &Path, f: &mut impl FnMut(Item)) {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => return f(Err(problem(path, None, format!("cannot read: {e}")))),
    };
    read_jsonl_from(path, BufReader::new(file), f)
}

fn read_jsonl_from(path: &Path, mut reader: impl BufRead, f: &mut impl FnMut(Item)) {
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut seen_any = false;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return f(Err(problem(path, Some(line_no + 1), format!("cannot read: {e}")))),
        }
        line_no += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // a line that is there, readable or not: the file is not empty
        seen_any = true;
        let line = match decode(&buf) {
            Ok(l) => l,
            Err(c) => {
                f(Err(problem(path, Some(line_no), c)));
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        f(parse_jsonl_line(&line).map_err(|c| problem(path, Some(line_no), c)));
    }
    if !seen_any {
        f(Err(problem(path, None, "empty file: no JSON lines")));
    }
}

fn parse_jsonl_line(line: &str) -> Result<Document, String> {
    /// The two fields chainkg reads; every other field is skipped unparsed,
    /// and the text is moved out, not copied.
    #[derive(serde::Deserialize)]
    struct Record {
        #[serde(default)]
        id: Option<serde_json::Value>,
        #[serde(default)]
        text: Option<serde_json::Value>,
    }
    let record: Record = if line.trim_start().starts_with('{') {
        serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?
    } else {
        // not an object: say whether it is JSON at all
        let _: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
        return Err("expected a JSON object with \"id\" and \"text\"".into());
    };
    let id = match record.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err("missing or empty \"id\" (a string or a number)".into()),
    };
    let Some(serde_json::Value::String(text)) = record.text else { return Err("missing \"text\" (a string)".into()) };
    if text.trim().is_empty() {
        return Err(format!("document {id}: empty \"text\""));
    }
    Ok(Document { id, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_bytes_are_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("宁德时代落子厦门火炬高新区。");
        assert_eq!(decode(&bytes).unwrap(), "宁德时代落子厦门火炬高新区。");
    }

    #[test]
    fn a_jsonl_line_gives_its_id_and_text_or_says_what_is_wrong() {
        let d = parse_jsonl_line(r#"{"id": "n1", "title": "标题", "tags": [1, {"a": 2}], "text": "宁德时代落子厦门。"}"#).unwrap();
        assert_eq!((d.id.as_str(), d.text.as_str()), ("n1", "宁德时代落子厦门。"));
        assert_eq!(parse_jsonl_line(r#"{"id": 7, "text": "文本"}"#).unwrap().id, "7");
        assert!(parse_jsonl_line(r#"{"id": "n1", "text": "文本""#).unwrap_err().starts_with("malformed JSON"));
        assert!(parse_jsonl_line(r#"["n1", "文本"]"#).unwrap_err().contains("expected a JSON object"));
        assert!(parse_jsonl_line(r#"{"text": "文本"}"#).unwrap_err().contains("\"id\""));
        assert!(parse_jsonl_line(r#"{"id": "", "text": "文本"}"#).unwrap_err().contains("\"id\""));
        assert!(parse_jsonl_line(r#"{"id": "n1", "text": 5}"#).unwrap_err().contains("\"text\""));
        assert!(parse_jsonl_line(r#"{"id": "n1", "text": "  "}"#).unwrap_err().contains("empty"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0").unwrap_err().contains("binary"));
    }

    #[test]
    fn jsonl_lines_need_id_and_text() {
        assert_eq!(parse_jsonl_line(r#"{"id": 7, "text": "文本"}"#).unwrap().id, "7");
        assert!(parse_jsonl_line(r#"{"id": "a"}"#).unwrap_err().contains("text"));
        assert!(parse_jsonl_line(r#"{"id": "a", "text": "#).unwrap_err().contains("malformed"));
    }
}
