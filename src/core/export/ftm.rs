//! FollowTheMoney (FtM) entity stream, one JSON object per line, as Aleph / OpenAleph and the
//! `ftm` tools read it (`ftm store write`, `alephclient write-entities`).
//!
//! - each article is an `Article` (`title`, `author`, `publishedAt`, `sourceUrl`, `fileName`,
//!   `bodyText`, `summary` from the deck, `keywords` from its tags);
//! - each person, organisation and place of the collection is a `Person`, `Organization` or
//!   `Address` with its canonical `name` and every other spelling as `alias` (an `Address` also
//!   gets `full`, the property Aleph shows it by); dates, groups and other entities have no FtM
//!   counterpart here and are left out;
//! - each (article, entity) pair is one `Mention` with `document` (the article), `resolved`
//!   (the entity), `name` (the spellings used in that article) and `detectedSchema`. FtM's
//!   `resolved` takes a `LegalEntity` (a person or an organisation), so a place's mention has
//!   no `resolved`; the article points at the place with `addressEntity` instead.
//!
//! Places are `Address` (a `Thing`, so it has `name` and `alias`, in every FtM version Aleph
//! runs) rather than `Territory` (newer, and meant for reference data with coded ids).
//!
//! Ids are the hex SHA-1 of a namespaced key (`newsroom:article:<article id>`,
//! `newsroom:entity:<entity id>`, `newsroom:mention:<article id>:<entity id>`), so exporting the
//! same collection again gives the same ids and Aleph updates rather than duplicates.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use sha1::{Digest, Sha1};

use crate::core::corpus::Corpus;
use crate::core::extract::Kind;
use crate::core::index::Entity;

/// The FtM schema an entity of this kind becomes, if any.
pub fn schema_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Person => Some("Person"),
        Kind::Organization => Some("Organization"),
        Kind::Place => Some("Address"),
        Kind::Date | Kind::Group | Kind::Other => None,
    }
}

/// Hex SHA-1 of `newsroom:<kind>:<key>`.
pub fn make_id(kind: &str, key: &str) -> String {
    let mut h = Sha1::new();
    h.update(b"newsroom:");
    h.update(kind.as_bytes());
    h.update(b":");
    h.update(key.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn article_id(article_id: &str) -> String {
    make_id("article", article_id)
}

pub fn entity_id(e: &Entity) -> String {
    make_id("entity", &e.id)
}

#[derive(Serialize)]
struct Proxy<'a> {
    id: String,
    schema: &'a str,
    properties: BTreeMap<&'static str, Vec<String>>,
}

fn line(out: &mut dyn Write, proxy: &Proxy<'_>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, proxy).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// FtM values are single lines of text; a value longer than FtM keeps is cut by FtM itself.
fn value(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

/// The file part of an article's path (`news/a.html`, `feeds.zip › b/c.xml` → `c.xml`).
fn file_name(path: &str) -> &str {
    let last = path.rsplit(" › ").next().unwrap_or(path);
    last.rsplit(['/', '\\']).next().unwrap_or(last)
}

/// Writes the stream: entities first, then each article followed by its mentions (an importer
/// sees every entity a mention resolves to before the mention). One article in memory at a time.
pub fn write(corpus: &Corpus, out: &mut dyn Write) -> io::Result<()> {
    let entities = &corpus.index.entities;
    let ids: Vec<Option<String>> = entities.iter().map(|e| schema_of(e.kind).map(|_| entity_id(e))).collect();
    for (e, id) in entities.iter().zip(&ids) {
        let (Some(schema), Some(id)) = (schema_of(e.kind), id) else { continue };
        let mut properties = BTreeMap::new();
        properties.insert("name", vec![value(&e.name)]);
        let aliases: Vec<String> = e.aliases.iter().filter(|a| a.name != e.name).map(|a| value(&a.name)).collect();
        if !aliases.is_empty() {
            properties.insert("alias", aliases);
        }
        if schema == "Address" {
            properties.insert("full", vec![value(&e.name)]);
        }
        line(out, &Proxy { id: id.clone(), schema, properties })?;
    }
    for i in 0..corpus.articles.len() {
        let (article, mentions) = corpus.article(i)?;
        let doc = article_id(&article.id);
        // The spellings of each entity named in the article.
        let mut names: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for m in &mentions {
            let Some(text) = article.body.get(m.start as usize..m.end as usize) else { continue };
            let list = names.entry(m.entity).or_default();
            let text = value(text);
            if !list.contains(&text) {
                list.push(text);
            }
        }
        let mut properties = BTreeMap::new();
        properties.insert("title", vec![value(&article.title)]);
        properties.insert("fileName", vec![value(file_name(&article.path))]);
        if let Some(a) = &article.author {
            properties.insert("author", vec![value(a)]);
        }
        if let Some(d) = &article.date {
            properties.insert("publishedAt", vec![d.get(..10).unwrap_or(d).to_string()]);
        }
        if let Some(u) = &article.url {
            properties.insert("sourceUrl", vec![value(u)]);
        }
        if let Some(deck) = &article.deck {
            properties.insert("summary", vec![value(deck)]);
        }
        if !article.tags.is_empty() {
            properties.insert("keywords", article.tags.iter().map(|t| value(t)).collect());
        }
        properties.insert("bodyText", vec![value(&article.body)]);
        let places: Vec<String> = names
            .keys()
            .filter(|&&e| entities.get(e as usize).is_some_and(|x| x.kind == Kind::Place))
            .filter_map(|&e| ids.get(e as usize).cloned().flatten())
            .collect();
        if !places.is_empty() {
            properties.insert("addressEntity", places);
        }
        line(out, &Proxy { id: doc.clone(), schema: "Article", properties })?;
        // One Mention per entity named in the article, with the spellings used.
        for (e, spellings) in names {
            let (Some(entity), Some(Some(resolved))) = (entities.get(e as usize), ids.get(e as usize)) else {
                continue;
            };
            let Some(schema) = schema_of(entity.kind) else { continue };
            let mut properties = BTreeMap::new();
            properties.insert("document", vec![doc.clone()]);
            if schema != "Address" {
                properties.insert("resolved", vec![resolved.clone()]);
            }
            properties.insert("name", spellings);
            properties.insert("detectedSchema", vec![schema.to_string()]);
            let id = make_id("mention", &format!("{}:{}", article.id, entity.id));
            line(out, &Proxy { id, schema: "Mention", properties })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sha1_of_the_namespaced_key_and_stable() {
        // sha1("newsroom:article:abc")
        let id = make_id("article", "abc");
        assert_eq!(id.len(), 40);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(id, make_id("article", "abc"));
        assert_ne!(id, make_id("entity", "abc"));
        // A known SHA-1: sha1("newsroom:") checks the hashing itself, not only its shape.
        assert_eq!(make_id("", "").len(), 40);
        let mut h = Sha1::new();
        h.update(b"abc");
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    #[test]
    fn file_name_of_paths_and_archive_members() {
        assert_eq!(file_name("news/a.html"), "a.html");
        assert_eq!(file_name("mixed/bundle.zip › bundle/nepal.txt"), "nepal.txt");
        assert_eq!(file_name("bundled:one.txt"), "bundled:one.txt");
    }
}
