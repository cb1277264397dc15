//! GraphML for Gephi, yEd and networkx: node type, name and other names;
//! edge predicate, Chinese label, rules and evidence count.

use super::{ExportContext, Exporter};

pub struct GraphMl;

/// XML text and attribute escaping; characters XML 1.0 forbids are dropped.
pub fn xml(s: &str) -> String {
    super::escape_with(s, |c| match c {
        '&' => Some("&amp;".into()),
        '<' => Some("&lt;".into()),
        '>' => Some("&gt;".into()),
        '"' => Some("&quot;".into()),
        '\'' => Some("&apos;".into()),
        // as character references, so that XML's line-end handling keeps them
        '\t' => Some("&#9;".into()),
        '\n' => Some("&#10;".into()),
        '\r' => Some("&#13;".into()),
        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => Some("".into()),
        _ => None,
    })
}

impl Exporter for GraphMl {
    fn file_name(&self) -> &'static str {
        "graph.graphml"
    }

    fn export(&self, cx: &ExportContext) -> Vec<u8> {
        let g = &cx.graph.graph;
        let mut out = String::from(concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
            "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
            "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n",
            "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n",
            "  <key id=\"names\" for=\"node\" attr.name=\"alternateNames\" attr.type=\"string\"/>\n",
            "  <key id=\"predicate\" for=\"edge\" attr.name=\"predicate\" attr.type=\"string\"/>\n",
            "  <key id=\"label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n",
            "  <key id=\"rules\" for=\"edge\" attr.name=\"rules\" attr.type=\"string\"/>\n",
            "  <key id=\"evidence\" for=\"edge\" attr.name=\"evidence\" attr.type=\"int\"/>\n",
            "  <graph id=\"chainkg\" edgedefault=\"directed\">\n"
        ));
        for n in cx.graph.sorted_nodes() {
            let node = &g[n];
            let alt: Vec<&str> = node.alternate_names().map(String::as_str).collect();
            out.push_str(&format!(
                "    <node id=\"{}\"><data key=\"type\">{}</data><data key=\"name\">{}</data><data key=\"names\">{}</data></node>\n",
                xml(&node.id),
                xml(&cx.schema.types[node.key.ty].name),
                xml(&node.key.name),
                xml(&alt.join(" / "))
            ));
        }
        for (i, e) in cx.graph.sorted_edges(cx.schema).into_iter().enumerate() {
            let (a, b) = g.edge_endpoints(e).expect("live edge");
            let rel = &g[e];
            let p = &cx.schema.predicates[rel.predicate];
            let rules: Vec<String> = rel.rules().into_iter().collect();
            out.push_str(&format!(
                "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"predicate\">{}</data><data key=\"label\">{}</data><data key=\"rules\">{}</data><data key=\"evidence\">{}</data></edge>\n",
                xml(&g[a].id),
                xml(&g[b].id),
                xml(&p.name),
                xml(&p.label),
                xml(&rules.join(" ")),
                rel.evidence.len()
            ));
        }
        out.push_str("  </graph>\n</graphml>\n");
        out.into_bytes()
    }
}
