//! The knowledge graph: one node per entity across the corpus, one edge per
//! distinct (subject, predicate, object) with all its evidence.

use crate::extract::{DocResult, EntityKey, Evidence};
use crate::rules::Schema;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct EntityNode {
    pub key: EntityKey,
    /// Stable id derived from type and canonical name.
    pub id: String,
    /// Every name the entity was written as (the canonical one included).
    pub names: BTreeSet<String>,
    /// English name from the gazetteer, if any.
    pub name_en: Option<String>,
}

impl EntityNode {
    /// The names other than the canonical one, sorted.
    pub fn alternate_names(&self) -> impl Iterator<Item = &String> {
        self.names.iter().filter(move |a| **a != self.key.name)
    }
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub predicate: usize,
    pub roles: BTreeSet<String>,
    pub evidence: BTreeSet<Evidence>,
}

impl Relation {
    /// The ids of the rules that found it.
    pub fn rules(&self) -> BTreeSet<String> {
        self.evidence.iter().map(|ev| ev.rule.clone()).collect()
    }
    /// The documents it was found in.
    pub fn docs(&self) -> BTreeSet<String> {
        self.evidence.iter().map(|ev| ev.doc.clone()).collect()
    }
    /// Each piece of evidence as "[document] text".
    pub fn evidence_lines(&self) -> Vec<String> {
        self.evidence.iter().map(|ev| format!("[{}] {}", ev.doc, ev.text)).collect()
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    /// Sentences of every document seen, by document id.
    pub docs: BTreeMap<String, usize>,
    pub documents: usize,
    pub sentences: usize,
}

#[derive(Debug, Default)]
pub struct Graph {
    pub graph: StableDiGraph<EntityNode, Relation>,
    nodes: rustc_hash::FxHashMap<EntityKey, NodeIndex>,
    edges: rustc_hash::FxHashMap<(NodeIndex, usize, NodeIndex), EdgeIndex>,
    pub stats: Stats,
}

/// 64-bit FNV-1a: a small, stable hash for content-derived ids.
pub fn fnv64(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

pub fn entity_id(schema: &Schema, key: &EntityKey) -> String {
    let ty = &schema.types[key.ty].name;
    let h = fnv64(format!("{ty}\u{0}{}", key.name).as_bytes());
    format!("{}-{h:016x}", ty.to_lowercase())
}

impl Graph {
    pub fn new() -> Graph {
        Graph::default()
    }

    fn node(&mut self, schema: &Schema, key: &EntityKey) -> NodeIndex {
        if let Some(ix) = self.nodes.get(key) {
            return *ix;
        }
        let node = EntityNode { key: key.clone(), id: entity_id(schema, key), names: BTreeSet::new(), name_en: None };
        let ix = self.graph.add_node(node);
        self.nodes.insert(key.clone(), ix);
        ix
    }

    /// Adds one document's entities and triples. Entities are added only when
    /// a triple uses them: the graph is about relations.
    pub fn add(&mut self, schema: &Schema, doc: DocResult) {
        self.stats.documents += 1;
        self.stats.sentences += doc.sentences;
        self.stats.docs.insert(doc.doc.clone(), doc.sentences);
        for t in doc.triples {
            let pd = &schema.predicates[t.predicate];
            let (mut s, mut o) = (t.subject, t.object);
            if pd.symmetric && entity_id(schema, &o) < entity_id(schema, &s) {
                std::mem::swap(&mut s, &mut o);
            }
            for k in [&s, &o] {
                let ix = self.node(schema, k);
                if let Some(names) = doc.entities.get(k) {
                    self.graph[ix].names.extend(names.iter().cloned());
                }
                self.graph[ix].names.insert(k.name.clone());
            }
            let (si, oi) = (self.nodes[&s], self.nodes[&o]);
            let ei = match self.edges.get(&(si, t.predicate, oi)) {
                Some(e) => *e,
                None => {
                    let e = self.graph.add_edge(si, oi, Relation { predicate: t.predicate, roles: BTreeSet::new(), evidence: BTreeSet::new() });
                    self.edges.insert((si, t.predicate, oi), e);
                    e
                }
            };
            let rel = &mut self.graph[ei];
            if let Some(r) = t.role {
                rel.roles.insert(r);
            }
            rel.evidence.insert(t.evidence);
        }
    }

    /// Sets the English names the gazetteer gives.
    pub fn set_english_names(&mut self, en: &BTreeMap<EntityKey, String>) {
        for ix in self.graph.node_indices().collect::<Vec<_>>() {
            let key = self.graph[ix].key.clone();
            self.graph[ix].name_en = en.get(&key).cloned();
        }
    }

    /// The graph as one record per document (in id order): what each document
    /// contributed, with every name of the entities it uses.
    pub fn documents(&self) -> Vec<DocResult> {
        let mut by_doc: BTreeMap<String, DocResult> = self
            .stats
            .docs
            .iter()
            .map(|(d, n)| (d.clone(), DocResult { doc: d.clone(), sentences: *n, ..Default::default() }))
            .collect();
        for e in self.graph.edge_indices() {
            let (a, b) = self.graph.edge_endpoints(e).expect("live edge");
            let rel = &self.graph[e];
            for ev in &rel.evidence {
                let d = by_doc.entry(ev.doc.clone()).or_insert_with(|| DocResult { doc: ev.doc.clone(), ..Default::default() });
                for n in [a, b] {
                    d.entities.insert(self.graph[n].key.clone(), self.graph[n].names.clone());
                }
                d.triples.push(crate::extract::Triple {
                    subject: self.graph[a].key.clone(),
                    predicate: rel.predicate,
                    object: self.graph[b].key.clone(),
                    role: ev.role.clone(),
                    evidence: ev.clone(),
                });
            }
        }
        by_doc
            .into_values()
            .map(|mut d| {
                d.triples.sort();
                d
            })
            .collect()
    }

    /// The graph with entities known by a short name merged into the one
    /// entity that has that name among its other names (海辰储能 from one
    /// document into 厦门海辰储能科技股份有限公司 from another). It depends only
    /// on the whole graph, so shards merged first give the same result.
    pub fn unified(&self, schema: &Schema) -> Graph {
        let g = &self.graph;
        // (type, name) → the entities that carry it as another name
        let mut owners: rustc_hash::FxHashMap<(usize, &str), BTreeSet<&EntityKey>> = Default::default();
        for n in g.node_indices() {
            let node = &g[n];
            for a in node.alternate_names() {
                owners.entry((node.key.ty, a.as_str())).or_default().insert(&node.key);
            }
        }
        let direct = |k: &EntityKey| -> Option<EntityKey> {
            let o = owners.get(&(k.ty, k.name.as_str()))?;
            let mut others = o.iter().filter(|m| **m != k);
            let m = others.next()?;
            (others.next().is_none() && m.name.chars().count() > k.name.chars().count()).then(|| (*m).clone())
        };
        let target = |k: &EntityKey| -> EntityKey {
            // names only grow along the chain, so it ends
            let mut cur = k.clone();
            while let Some(next) = direct(&cur) {
                cur = next;
            }
            cur
        };
        let mut out = Graph::new();
        for mut d in self.documents() {
            let mut entities: BTreeMap<EntityKey, BTreeSet<String>> = BTreeMap::new();
            for (k, names) in std::mem::take(&mut d.entities) {
                let t = target(&k);
                let e = entities.entry(t).or_default();
                e.extend(names);
                e.insert(k.name.clone());
            }
            for t in &mut d.triples {
                t.subject = target(&t.subject);
                t.object = target(&t.object);
            }
            d.triples.retain(|t| t.subject != t.object);
            d.entities = entities;
            out.add(schema, d);
        }
        for n in out.graph.node_indices().collect::<Vec<_>>() {
            let key = out.graph[n].key.clone();
            if let Some(ix) = self.nodes.get(&key) {
                out.graph[n].name_en = self.graph[*ix].name_en.clone();
            }
        }
        out
    }

    /// Nodes sorted by id: the order of every export.
    pub fn sorted_nodes(&self) -> Vec<NodeIndex> {
        let mut v: Vec<NodeIndex> = self.graph.node_indices().collect();
        v.sort_by(|a, b| self.graph[*a].id.cmp(&self.graph[*b].id));
        v
    }

    /// Edges sorted by (subject id, predicate, object id).
    pub fn sorted_edges(&self, schema: &Schema) -> Vec<EdgeIndex> {
        let mut v: Vec<EdgeIndex> = self.graph.edge_indices().collect();
        let key = |e: &EdgeIndex| {
            let (a, b) = self.graph.edge_endpoints(*e).expect("live edge");
            (self.graph[a].id.clone(), schema.predicates[self.graph[*e].predicate].name.clone(), self.graph[b].id.clone())
        };
        v.sort_by_key(key);
        v
    }

    pub fn triples_by_predicate(&self, schema: &Schema) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for e in self.graph.edge_weights() {
            *m.entry(schema.predicates[e.predicate].name.clone()).or_insert(0) += 1;
        }
        m
    }
}
