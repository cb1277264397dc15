//! Graphviz DOT built with graphviz-rust: node shape and colour by type,
//! companies inside the cluster of the park they are located in, edge labels
//! in Chinese, every string escaped.

use super::{ExportContext, Exporter};
use graphviz_rust::dot_structures::{Attribute, Edge, EdgeTy, Graph as DotGraph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::{BTreeMap, BTreeSet};

pub struct Dot;

/// A quoted DOT string: backslashes, quotes and line breaks escaped.
pub fn quoted(s: &str) -> Id {
    // most names need no escaping: no pass character by character for them
    if !s.chars().any(|c| matches!(c, '"' | '\\') || c.is_control()) {
        return Id::Escaped(format!("\"{s}\""));
    }
    let body = super::escape_with(s, |c| match c {
        '"' => Some("\\\"".into()),
        '\\' => Some("\\\\".into()),
        '\n' => Some("\\n".into()),
        c if c.is_control() => Some("".into()),
        _ => None,
    });
    Id::Escaped(format!("\"{body}\""))
}

fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_string()), quoted(v))
}

impl Exporter for Dot {
    fn file_name(&self) -> &'static str {
        "graph.dot"
    }

    fn export(&self, cx: &ExportContext) -> Vec<u8> {
        print(&build(cx, None)).into_bytes()
    }
}

pub fn print(g: &DotGraph) -> String {
    let mut ctx = PrinterContext::default();
    let mut s = g.print(&mut ctx);
    s.push('\n');
    s
}

/// How a diagram is drawn.
#[derive(Debug, Clone, Default)]
pub struct DotOptions {
    /// Only these predicates (empty: all).
    pub predicates: Vec<usize>,
    /// Industry-chain view: only upstream_of / supplier_of edges rank the
    /// nodes, so upstream stands left of downstream.
    pub chain: bool,
    /// A legend of the types and predicates drawn.
    pub legend: bool,
    /// A node to stand out (the focus of a diagram).
    pub focus: Option<NodeIndex>,
}

/// Builds the DOT graph; `only` restricts it to a set of nodes.
pub fn build(cx: &ExportContext, only: Option<&BTreeSet<NodeIndex>>) -> DotGraph {
    build_with(cx, only, &DotOptions::default())
}

/// Builds the DOT graph of a subgraph, with diagram options.
pub fn build_with(cx: &ExportContext, only: Option<&BTreeSet<NodeIndex>>, opts: &DotOptions) -> DotGraph {
    let g = &cx.graph.graph;
    let schema = cx.schema;
    let keep = |n: &NodeIndex| only.is_none_or(|o| o.contains(n));
    let park = schema.type_index("Park");
    let located_in = schema.predicate_index("located_in");
    let part_of = schema.predicate_index("part_of");
    let nodes = cx.graph.sorted_nodes();

    // the park each organisation is drawn in: the most specific of its parks
    let mut cluster_of: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
    for n in nodes.iter().copied().filter(keep) {
        if Some(g[n].key.ty) == park {
            continue;
        }
        let parks: Vec<NodeIndex> = g
            .edges(n)
            .filter(|e| Some(e.weight().predicate) == located_in && Some(g[e.target()].key.ty) == park && keep(&e.target()))
            .map(|e| e.target())
            .collect();
        let inner = parks.iter().copied().filter(|p| {
            g.edges(*p).any(|e| Some(e.weight().predicate) == part_of && parks.contains(&e.target()))
        });
        let chosen = inner.chain(parks.iter().copied()).min_by_key(|p| (0, g[*p].id.clone()));
        if let Some(p) = chosen {
            cluster_of.insert(n, p);
        }
    }
    let node_stmt = |n: NodeIndex| -> Stmt {
        let node = &g[n];
        let t = &schema.types[node.key.ty];
        let mut attrs = vec![
            attr("label", &node.key.name),
            attr("tooltip", &format!("{}: {}", t.label, node.names.iter().cloned().collect::<Vec<_>>().join(" / "))),
            attr("shape", &t.shape),
            attr("style", "filled"),
            attr("fillcolor", &t.color),
        ];
        if opts.focus == Some(n) {
            attrs.push(attr("penwidth", "3"));
        }
        Stmt::Node(Node::new(NodeId(quoted(&node.id), None), attrs))
    };
    let mut stmts = vec![
        Stmt::Attribute(attr("rankdir", "LR")),
        Stmt::Attribute(attr("fontname", "Noto Sans CJK SC")),
        Stmt::GAttribute(GraphAttributes::Node(vec![attr("fontname", "Noto Sans CJK SC"), attr("fontsize", "11")])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![attr("fontname", "Noto Sans CJK SC"), attr("fontsize", "9")])),
    ];
    // a park inside a park (part_of) is drawn inside its cluster
    for n in nodes.iter().copied().filter(keep) {
        if Some(g[n].key.ty) != park {
            continue;
        }
        let parent = g
            .edges(n)
            .filter(|e| Some(e.weight().predicate) == part_of && Some(g[e.target()].key.ty) == park && keep(&e.target()) && e.target() != n)
            .map(|e| e.target())
            .min_by_key(|p| g[*p].id.clone());
        if let Some(p) = parent {
            // no cycles: a park is never drawn inside one of its own descendants
            let mut up = Some(p);
            let mut cyclic = false;
            while let Some(u) = up {
                if u == n {
                    cyclic = true;
                    break;
                }
                up = cluster_of.get(&u).copied();
            }
            if !cyclic {
                cluster_of.insert(n, p);
            }
        }
    }
    let mut in_cluster: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
    for (n, p) in &cluster_of {
        in_cluster.entry(*p).or_default().push(*n);
    }
    for v in in_cluster.values_mut() {
        v.sort_by(|a, b| g[*a].id.cmp(&g[*b].id));
    }
    fn draw(n: NodeIndex, in_cluster: &BTreeMap<NodeIndex, Vec<NodeIndex>>, node_stmt: &dyn Fn(NodeIndex) -> Stmt, cluster_attrs: &dyn Fn(NodeIndex) -> Vec<Stmt>, id: &dyn Fn(NodeIndex) -> String) -> Stmt {
        match in_cluster.get(&n) {
            Some(members) => {
                let mut sub = cluster_attrs(n);
                sub.push(node_stmt(n));
                sub.extend(members.iter().map(|m| draw(*m, in_cluster, node_stmt, cluster_attrs, id)));
                Stmt::Subgraph(Subgraph { id: quoted(&format!("cluster_{}", id(n))), stmts: sub })
            }
            None => node_stmt(n),
        }
    }
    let cluster_attrs = |n: NodeIndex| {
        vec![
            Stmt::Attribute(attr("label", &g[n].key.name)),
            Stmt::Attribute(attr("style", "rounded,dashed")),
            Stmt::Attribute(attr("color", &schema.types[g[n].key.ty].color)),
        ]
    };
    let id_of = |n: NodeIndex| g[n].id.clone();
    for n in nodes.iter().copied().filter(keep) {
        if cluster_of.contains_key(&n) {
            continue;
        }
        stmts.push(draw(n, &in_cluster, &node_stmt, &cluster_attrs, &id_of));
    }
    for e in cx.graph.sorted_edges(schema) {
        let (a, b) = g.edge_endpoints(e).expect("live edge");
        if !keep(&a) || !keep(&b) {
            continue;
        }
        let rel = &g[e];
        if !opts.predicates.is_empty() && !opts.predicates.contains(&rel.predicate) {
            continue;
        }
        let p = &schema.predicates[rel.predicate];
        let mut label = p.label.clone();
        if !rel.roles.is_empty() {
            label = format!("{label}（{}）", rel.roles.iter().cloned().collect::<Vec<_>>().join("、"));
        }
        let mut attrs = vec![attr("label", &label)];
        if p.symmetric {
            attrs.push(attr("dir", "both"));
        }
        if opts.chain && !matches!(p.name.as_str(), "upstream_of" | "supplier_of") {
            attrs.push(attr("constraint", "false"));
            attrs.push(attr("style", "dashed"));
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(NodeId(quoted(&g[a].id), None)), Vertex::N(NodeId(quoted(&g[b].id), None))),
            attributes: attrs,
        }));
    }
    if opts.legend {
        stmts.push(legend(cx, only));
    }
    DotGraph::DiGraph { id: quoted("chainkg"), strict: false, stmts }
}

/// A cluster with one sample node per type drawn and the predicates' labels.
fn legend(cx: &ExportContext, only: Option<&BTreeSet<NodeIndex>>) -> Stmt {
    let g = &cx.graph.graph;
    let keep = |n: &NodeIndex| only.is_none_or(|o| o.contains(n));
    let types: BTreeSet<usize> = g.node_indices().filter(keep).map(|n| g[n].key.ty).collect();
    let mut stmts = vec![Stmt::Attribute(attr("label", "图例 legend")), Stmt::Attribute(attr("style", "rounded"))];
    for t in types {
        let td = &cx.schema.types[t];
        stmts.push(Stmt::Node(Node::new(
            NodeId(quoted(&format!("legend-{}", td.name)), None),
            vec![attr("label", &format!("{} {}", td.label, td.label_en)), attr("shape", &td.shape), attr("style", "filled"), attr("fillcolor", &td.color)],
        )));
    }
    let preds: BTreeSet<usize> = g.edge_indices().filter(|e| g.edge_endpoints(*e).is_some_and(|(a, b)| keep(&a) && keep(&b))).map(|e| g[e].predicate).collect();
    let text: Vec<String> = preds.into_iter().map(|p| format!("{} = {}", cx.schema.predicates[p].label, cx.schema.predicates[p].label_en)).collect();
    if !text.is_empty() {
        stmts.push(Stmt::Node(Node::new(NodeId(quoted("legend-predicates"), None), vec![attr("label", &text.join("\n")), attr("shape", "note")])));
    }
    Stmt::Subgraph(Subgraph { id: quoted("cluster_legend"), stmts })
}
