//! Exporters: one file per format behind one trait.

use crate::graph::Graph;
use crate::rules::Schema;
use std::io::Write;
use std::path::Path;

pub mod csv;
pub mod cypher;
pub mod dot;
pub mod graphml;
pub mod jsonld;
pub mod ntriples;

/// What every exporter is given.
pub struct ExportContext<'a> {
    pub graph: &'a Graph,
    pub schema: &'a Schema,
    /// IRI base for entities, statements, documents and the ontology.
    pub base: &'a str,
}

pub trait Exporter {
    /// The file name inside the output directory.
    fn file_name(&self) -> &'static str;
    fn export(&self, cx: &ExportContext) -> Vec<u8>;
}

/// Writes through a temporary file in the same directory, then renames, so an
/// interrupted run never leaves a half-written file behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Escapes text for one target: `map` gives the replacement of a character
/// (None keeps it); every exporter's escaping is one such map.
pub fn escape_with(s: &str, map: impl Fn(char) -> Option<std::borrow::Cow<'static, str>>) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match map(c) {
            Some(r) => out.push_str(&r),
            None => out.push(c),
        }
    }
    out
}

/// Percent-encodes everything but unreserved ASCII, for IRIs built from text.
pub fn iri_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
