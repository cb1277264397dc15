//! The shard format: one JSON line per document with its triples and the
//! names of the entities they use. `build` writes it (OUT/triples.jsonl, or
//! standard output as a mapper), `merge` reads it back; merging the shards of
//! a corpus gives the same graph, byte for byte, as one build over it.

use crate::extract::{DocResult, EntityKey, Triple};
use crate::rules::Schema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Deserialize)]
struct ShardEntity {
    #[serde(rename = "type")]
    ty: String,
    name: String,
    names: BTreeSet<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ShardTriple {
    s: (String, String),
    p: String,
    o: (String, String),
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    evidence: crate::extract::Evidence,
}

#[derive(Debug, Serialize, Deserialize)]
struct ShardDoc {
    doc: String,
    sentences: usize,
    entities: Vec<ShardEntity>,
    triples: Vec<ShardTriple>,
}

/// One document's record: only the entities its triples use.
pub fn to_line(schema: &Schema, d: &DocResult) -> String {
    let used: BTreeSet<&EntityKey> = d.triples.iter().flat_map(|t| [&t.subject, &t.object]).collect();
    let rec = ShardDoc {
        doc: d.doc.clone(),
        sentences: d.sentences,
        entities: used
            .into_iter()
            .map(|k| ShardEntity { ty: schema.types[k.ty].name.clone(), name: k.name.clone(), names: d.entities.get(k).cloned().unwrap_or_default() })
            .collect(),
        triples: d
            .triples
            .iter()
            .map(|t| ShardTriple {
                s: (schema.types[t.subject.ty].name.clone(), t.subject.name.clone()),
                p: schema.predicates[t.predicate].name.clone(),
                o: (schema.types[t.object.ty].name.clone(), t.object.name.clone()),
                role: t.role.clone(),
                evidence: t.evidence.clone(),
            })
            .collect(),
    };
    serde_json::to_string(&rec).expect("shard records serialise")
}

#[derive(Debug, thiserror::Error)]
#[error("{}:{}: {}", file.display(), line, cause)]
pub struct ShardError {
    pub file: PathBuf,
    pub line: usize,
    pub cause: String,
}

/// Reads one record back, with the schema of the rules that merge it.
pub fn from_line(schema: &Schema, line: &str) -> Result<DocResult, String> {
    let rec: ShardDoc = serde_json::from_str(line).map_err(|e| format!("not a chainkg shard record: {e}"))?;
    let ty = |t: &str| schema.type_index(t).ok_or_else(|| format!("unknown type {t:?} (merge with the rules that built the shard)"));
    let key = |(t, n): &(String, String)| -> Result<EntityKey, String> { Ok(EntityKey { ty: ty(t)?, name: n.clone() }) };
    let mut entities = BTreeMap::new();
    for e in rec.entities {
        entities.insert(EntityKey { ty: ty(&e.ty)?, name: e.name }, e.names);
    }
    let mut triples = Vec::with_capacity(rec.triples.len());
    for t in rec.triples {
        let predicate = schema.predicate_index(&t.p).ok_or_else(|| format!("unknown predicate {:?}", t.p))?;
        triples.push(Triple { subject: key(&t.s)?, predicate, object: key(&t.o)?, role: t.role, evidence: t.evidence });
    }
    Ok(DocResult { doc: rec.doc, sentences: rec.sentences, entities, triples })
}

/// The shard files named by the inputs: a directory stands for DIR/triples.jsonl.
pub fn shard_files(inputs: &[PathBuf]) -> Vec<PathBuf> {
    inputs.iter().map(|p| if p.is_dir() { p.join("triples.jsonl") } else { p.clone() }).collect()
}

/// Reads shards record by record.
pub fn for_each_record(schema: &Schema, file: &Path, mut f: impl FnMut(DocResult)) -> Result<(), ShardError> {
    let err = |line: usize, cause: String| ShardError { file: file.to_path_buf(), line, cause };
    let reader = std::io::BufReader::new(std::fs::File::open(file).map_err(|e| err(0, format!("cannot read: {e}")))?);
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| err(i + 1, e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        f(from_line(schema, &line).map_err(|c| err(i + 1, c))?);
    }
    Ok(())
}
