//! GraphML for Gephi, networkx, yEd: the collection's entities as nodes (label, kind, articles,
//! mentions) and, between two entities mentioned in the same article, an undirected edge
//! weighted by the number of articles they share.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::core::corpus::Corpus;
use crate::core::extract::Kind;

/// The most entities of one article that are paired (its most mentioned first): an article
/// naming 500 entities would otherwise add 125,000 edges on its own.
pub const MAX_PAIRED_PER_ARTICLE: usize = 100;

/// Dates are not nodes: they co-occur with everything and say nothing about who is with whom.
fn is_node(kind: Kind) -> bool {
    kind != Kind::Date
}

/// Weighted co-occurrence edges `(a, b, articles)` with `a < b`, in a stable order.
pub fn cooccurrence(corpus: &Corpus) -> Vec<(u32, u32, u32)> {
    let mut weights: HashMap<(u32, u32), u32> = HashMap::new();
    for entities in &corpus.index.article_entities {
        let here: Vec<u32> = entities
            .iter()
            .map(|&(e, _)| e)
            .filter(|&e| corpus.index.entities.get(e as usize).is_some_and(|x| is_node(x.kind)))
            .take(MAX_PAIRED_PER_ARTICLE)
            .collect();
        for (i, &a) in here.iter().enumerate() {
            for &b in &here[i + 1..] {
                if a != b {
                    *weights.entry((a.min(b), a.max(b))).or_default() += 1;
                }
            }
        }
    }
    let mut edges: Vec<(u32, u32, u32)> = weights.into_iter().map(|((a, b), w)| (a, b, w)).collect();
    edges.sort_unstable();
    edges
}

/// Writes the graph. Every text is escaped, and characters XML 1.0 cannot carry (control
/// characters) are left out, so any parser reads it.
pub fn write(corpus: &Corpus, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    writeln!(out, r#"  <key id="label" for="node" attr.name="label" attr.type="string"/>"#)?;
    writeln!(out, r#"  <key id="kind" for="node" attr.name="kind" attr.type="string"/>"#)?;
    writeln!(out, r#"  <key id="articles" for="node" attr.name="articles" attr.type="int"/>"#)?;
    writeln!(out, r#"  <key id="mentions" for="node" attr.name="mentions" attr.type="int"/>"#)?;
    writeln!(out, r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#)?;
    writeln!(out, r#"  <graph id="newsroom" edgedefault="undirected">"#)?;
    let entities = &corpus.index.entities;
    for e in entities.iter().filter(|e| is_node(e.kind)) {
        writeln!(
            out,
            r#"    <node id="{}"><data key="label">{}</data><data key="kind">{}</data><data key="articles">{}</data><data key="mentions">{}</data></node>"#,
            escape(&e.id),
            escape(&e.name),
            e.kind.as_str(),
            e.articles,
            e.mentions
        )?;
    }
    for (i, (a, b, w)) in cooccurrence(corpus).into_iter().enumerate() {
        writeln!(
            out,
            r#"    <edge id="c{i}" source="{}" target="{}"><data key="weight">{w}</data></edge>"#,
            escape(&entities[a as usize].id),
            escape(&entities[b as usize].id),
        )?;
    }
    writeln!(out, "  </graph>\n</graphml>")?;
    Ok(())
}

/// Text and attribute values: `& < > " '` escaped; characters XML 1.0 forbids dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(escape(r#"A&B <"x"> 'y'"#), "A&amp;B &lt;&quot;x&quot;&gt; &apos;y&apos;");
        assert_eq!(escape("bell\u{7}\u{0}ok\u{FFFE}"), "bellok");
    }
}
