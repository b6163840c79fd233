//! The user's own layer in the browser: stars, tags, notes and highlights of articles, entity
//! corrections from the sidebar, the notes view, and `u` undo. The app stays pure: each change
//! is an [`Effect`] the shell performs on the store (and, for corrections, a re-index it reports
//! back with [`super::Action::Reindexed`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::keymap::Command;
use super::reader::LineKind;
use super::{App, Pane, Prompt, PromptKind};
use crate::core::corpus::Corpus;
use crate::core::corrections::{Correction, Op};
use crate::core::extract::Kind;
use crate::core::store::ArticleUser;

/// A change the shell writes to the user's store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Star {
        article: String,
        on: bool,
    },
    Tag {
        article: String,
        tag: String,
        on: bool,
    },
    /// An empty text removes the note.
    Note {
        article: String,
        text: String,
    },
    Highlight {
        article: String,
        start: usize,
        end: usize,
        passage: String,
        note: Option<String>,
    },
    /// Removes the highlight this run added last.
    RemoveLastHighlight,
    /// Records a correction, then re-indexes.
    Correct(Correction),
    /// Removes the correction this run added last, then re-indexes.
    UndoLastCorrection,
    /// Where the reader is in an article (a body byte); the last one written is the article
    /// reopened at the next start.
    Position {
        article: String,
        byte: usize,
    },
}

/// How to take back one change.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Undo {
    Star { article: String, was: bool },
    Tag { article: String, tag: String, added: bool },
    Note { article: String, old: Option<String> },
    Highlight { article: String },
    Correction(String),
}

/// A highlighted passage: body byte range and the note, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct UserState {
    pub starred: HashSet<String>,
    pub tags: HashMap<String, Vec<String>>,
    pub notes: HashMap<String, String>,
    pub highlights: HashMap<String, Vec<Passage>>,
    /// Changes for the shell to write, oldest first.
    pub effects: Vec<Effect>,
    undo: Vec<Undo>,
    /// The notes view (all notes and highlights of the collection) is open.
    pub notes_view: bool,
    pub notes_scroll: usize,
    /// A selection in the reader: the reader line where it started (`v`) and the line it
    /// reaches now (moved with j/k).
    pub selection: Option<(usize, usize)>,
    /// The entity a correction prompt is about.
    pub correcting: Option<u32>,
    /// Where the reader was in each article (first body byte on screen), by article id.
    pub positions: HashMap<String, usize>,
    /// The article open when newsroom last quit: reopened when the collection loads.
    pub last_article: Option<String>,
    /// What colleagues did, said again when the re-index their corrections cause is done.
    pub team_said: Option<String>,
}

impl UserState {
    /// What the store keeps, by article id.
    pub fn from_store(articles: BTreeMap<String, ArticleUser>) -> UserState {
        let mut s = UserState::default();
        for (id, u) in articles {
            if u.star {
                s.starred.insert(id.clone());
            }
            if !u.tags.is_empty() {
                s.tags.insert(id.clone(), u.tags);
            }
            if let Some(n) = u.note {
                s.notes.insert(id.clone(), n);
            }
            if !u.highlights.is_empty() {
                let list = u.highlights.iter().map(|h| Passage { start: h.start, end: h.end, note: h.note.clone() });
                s.highlights.insert(id, list.collect());
            }
        }
        s
    }

    /// Takes the changes the shell should write.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }
}

/// Kinds an entity can be given.
const KINDS: [Kind; 5] = [Kind::Person, Kind::Organization, Kind::Place, Kind::Group, Kind::Other];

impl App {
    /// The article the article keys act on: the open one in the reader, else the selected row.
    pub fn focused_article(&self) -> Option<usize> {
        match (self.focus, self.current) {
            (Pane::List, _) | (_, None) => self.rows.get(self.selected).map(|&a| a as usize),
            (_, Some(a)) => Some(a),
        }
    }

    fn focused_article_id(&self) -> Option<String> {
        self.focused_article().and_then(|a| self.corpus.articles.get(a)).map(|m| m.id.clone())
    }

    /// The entity the sidebar's correction keys act on.
    fn sidebar_entity(&self) -> Option<u32> {
        self.sidebar.get(self.sidebar_selected).map(|&(e, _)| e)
    }

    pub(super) fn user_command(&mut self, c: Command) {
        match c {
            Command::Star => {
                let Some(id) = self.focused_article_id() else { return };
                let was = self.user.starred.contains(&id);
                self.set_star(&id, !was);
                self.user.undo.push(Undo::Star { article: id, was });
                self.message = Some(if was { "star removed" } else { "starred" }.into());
            }
            Command::Tag => self.user_prompt(PromptKind::Tag, String::new()),
            Command::Note => {
                let Some(id) = self.focused_article_id() else { return };
                let old = self.user.notes.get(&id).cloned().unwrap_or_default();
                self.user_prompt(PromptKind::Note, old);
            }
            Command::NotesView => {
                self.user.notes_view = !self.user.notes_view;
                self.user.notes_scroll = 0;
            }
            Command::Undo => self.undo(),
            Command::Merge | Command::Rename | Command::Retype | Command::Split => {
                let Some(e) = self.sidebar_entity() else { return };
                self.user.correcting = Some(e);
                let (kind, input) = match c {
                    Command::Merge => (PromptKind::Merge, String::new()),
                    Command::Rename => (PromptKind::Rename, self.corpus.entity(e).name.clone()),
                    Command::Retype => (PromptKind::Retype, String::new()),
                    _ => (PromptKind::Split, String::new()),
                };
                self.user_prompt(kind, input);
            }
            Command::Reject => {
                let Some(e) = self.sidebar_entity() else { return };
                let entity = self.corpus.entity(e);
                self.correct(Op::Reject, e, None, format!("{} is not an entity", entity.name));
            }
            Command::Select => {
                if self.user.selection.take().is_some() {
                    self.message = Some("selection dropped".into());
                } else if let Some(line) = self.top_body_line() {
                    self.user.selection = Some((line, line));
                    self.message = Some("selecting: j/k extend, H highlights, Esc drops".into());
                }
            }
            Command::AddMention => match self.search_text() {
                Some(text) => {
                    self.user_prompt(PromptKind::AddMention, String::new());
                    self.message = Some(format!("“{text}”: a mention of which entity?"));
                }
                None => self.message = Some("find the text with / first, then A".into()),
            },
            Command::Highlight => {
                if self.selection_range().is_some() {
                    self.user_prompt(PromptKind::HighlightNote, String::new());
                } else {
                    self.message = Some("select a passage first with v".into());
                }
            }
            _ => {}
        }
    }

    /// The text of the current search match, as written in the article.
    pub fn search_text(&self) -> Option<String> {
        let search = self.search.as_ref()?;
        let &(s, e) = search.matches.get(search.current.unwrap_or(0))?;
        let text = self.view.as_ref()?.text.body.get(s..e)?.trim().to_string();
        (!text.is_empty()).then_some(text)
    }

    fn user_prompt(&mut self, kind: PromptKind, input: String) {
        self.prompt = Some(Prompt { kind, input });
        self.entity_results.clear();
        self.entity_selected = 0;
    }

    /// The first body line on screen (its index among the reader's lines).
    fn top_body_line(&self) -> Option<usize> {
        (self.scroll..self.lines.len()).find(|&i| matches!(self.lines[i].kind, LineKind::Body { .. }))
    }

    /// j/k while selecting move the selection's end a line (the view follows).
    pub(super) fn move_selection(&mut self, c: Command) {
        let Some((anchor, at)) = self.user.selection else { return };
        let (_, h) = self.reader_size();
        let last = self.lines.len().saturating_sub(1);
        let to = match c {
            Command::Down => (at + 1).min(last),
            Command::Up => at.saturating_sub(1),
            Command::PageDown => (at + h).min(last),
            Command::PageUp => at.saturating_sub(h),
            Command::Top => 0,
            _ => last,
        };
        self.user.selection = Some((anchor, to));
        if to < self.scroll {
            self.scroll = to;
        } else if to >= self.scroll + h {
            self.scroll = to + 1 - h;
        }
    }

    /// The selected passage, whole lines (as `V` selects in vim): from the line where `v` was
    /// pressed to the line j/k moved to, as a byte range of the body.
    pub fn selection_range(&self) -> Option<(usize, usize)> {
        let (a, b) = self.user.selection?;
        let lines = self.lines.get(a.min(b)..=a.max(b).min(self.lines.len().saturating_sub(1)))?;
        let mut range: Option<(usize, usize)> = None;
        for l in lines {
            if let LineKind::Body { start, end } = l.kind {
                range = Some(range.map_or((start, end), |(s, e)| (s.min(start), e.max(end))));
            }
        }
        range
    }

    /// The article's highlights, for the reader.
    pub fn passages(&self, article: usize) -> &[Passage] {
        self.corpus.articles.get(article).and_then(|m| self.user.highlights.get(&m.id)).map_or(&[][..], Vec::as_slice)
    }

    fn set_star(&mut self, id: &str, on: bool) {
        if on {
            self.user.starred.insert(id.to_string());
        } else {
            self.user.starred.remove(id);
        }
        self.user.effects.push(Effect::Star { article: id.to_string(), on });
    }

    fn set_tag(&mut self, id: &str, tag: &str, on: bool) {
        let tags = self.user.tags.entry(id.to_string()).or_default();
        if on {
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
                tags.sort();
            }
        } else {
            tags.retain(|t| t != tag);
        }
        self.user.effects.push(Effect::Tag { article: id.to_string(), tag: tag.to_string(), on });
    }

    fn set_note(&mut self, id: &str, text: &str) {
        if text.trim().is_empty() {
            self.user.notes.remove(id);
        } else {
            self.user.notes.insert(id.to_string(), text.to_string());
        }
        self.user.effects.push(Effect::Note { article: id.to_string(), text: text.to_string() });
    }

    fn correct(&mut self, op: Op, e: u32, target: Option<String>, said: String) {
        let entity = self.corpus.entity(e);
        let c =
            Correction { id: 0, op, kind: Some(entity.kind), name: entity.name.clone(), target, date: String::new() };
        self.user.effects.push(Effect::Correct(c));
        self.user.undo.push(Undo::Correction(said.clone()));
        self.message = Some(format!("{said} — re-indexing…"));
    }

    fn undo(&mut self) {
        let Some(u) = self.user.undo.pop() else {
            self.message = Some("nothing to undo".into());
            return;
        };
        self.message = Some(match u {
            Undo::Star { article, was } => {
                self.set_star(&article, was);
                "undone: star".into()
            }
            Undo::Tag { article, tag, added } => {
                self.set_tag(&article, &tag, !added);
                format!("undone: tag {tag}")
            }
            Undo::Note { article, old } => {
                self.set_note(&article, old.as_deref().unwrap_or(""));
                "undone: note".into()
            }
            Undo::Highlight { article } => {
                if let Some(list) = self.user.highlights.get_mut(&article) {
                    list.pop();
                }
                self.user.effects.push(Effect::RemoveLastHighlight);
                "undone: highlight".into()
            }
            Undo::Correction(said) => {
                self.user.effects.push(Effect::UndoLastCorrection);
                format!("undone: {said} — re-indexing…")
            }
        });
    }

    /// Prompt keys for the user's prompts: what typing shows (completions).
    pub(super) fn user_prompt_changed(&mut self) {
        let Some(prompt) = &self.prompt else { return };
        if matches!(prompt.kind, PromptKind::Merge | PromptKind::AddMention) {
            let query = prompt.input.clone();
            self.generation += 1;
            if query.trim().is_empty() {
                self.entity_results.clear();
                self.pending_job = None;
            } else {
                self.pending_job = Some(super::filter::Job {
                    generation: self.generation,
                    kind: super::filter::RankKind::Entities,
                    query,
                    within: None,
                });
            }
        }
    }

    /// What a prompt would complete its input to, shown under it.
    pub fn completions(&self) -> Vec<String> {
        let Some(prompt) = &self.prompt else { return Vec::new() };
        let q = crate::core::text::fold_key(&prompt.input);
        let matching = |items: Vec<String>| -> Vec<String> {
            items.into_iter().filter(|s| crate::core::text::fold_key(s).starts_with(&q)).collect()
        };
        match prompt.kind {
            PromptKind::Retype => matching(KINDS.iter().map(|k| k.as_str().to_string()).collect()),
            PromptKind::Split => match self.user.correcting {
                Some(e) => matching(self.corpus.entity(e).aliases.iter().map(|a| a.name.clone()).collect()),
                None => Vec::new(),
            },
            PromptKind::Tag => {
                let last = prompt.input.rsplit([' ', ',']).next().unwrap_or("").trim_start_matches('-');
                let q = crate::core::text::fold_key(last);
                let mut all: Vec<String> = self.user.tags.values().flatten().cloned().collect();
                all.sort();
                all.dedup();
                all.into_iter().filter(|t| crate::core::text::fold_key(t).starts_with(&q)).take(8).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Enter in one of the user's prompts.
    pub(super) fn accept_user_prompt(&mut self, prompt: Prompt) {
        let input = prompt.input.trim().to_string();
        let entity = self.user.correcting.take();
        match prompt.kind {
            PromptKind::Tag => {
                let Some(id) = self.focused_article_id() else { return };
                let mut said = Vec::new();
                for word in input.split([' ', ',']).filter(|w| !w.is_empty()) {
                    let (tag, on) = match word.strip_prefix('-') {
                        Some(t) => (t, false),
                        None => (word, true),
                    };
                    let had = self.user.tags.get(&id).is_some_and(|t| t.iter().any(|x| x == tag));
                    if tag.is_empty() || had == on {
                        continue;
                    }
                    self.set_tag(&id, tag, on);
                    self.user.undo.push(Undo::Tag { article: id.clone(), tag: tag.to_string(), added: on });
                    said.push(if on { format!("+{tag}") } else { format!("-{tag}") });
                }
                self.message =
                    Some(if said.is_empty() { "no tag changed".into() } else { format!("tags {}", said.join(" ")) });
            }
            PromptKind::Note => {
                let Some(id) = self.focused_article_id() else { return };
                let old = self.user.notes.get(&id).cloned();
                if old.as_deref().unwrap_or("") == prompt.input.trim() {
                    return;
                }
                self.set_note(&id, prompt.input.trim());
                self.user.undo.push(Undo::Note { article: id, old });
                self.message = Some(if input.is_empty() { "note removed" } else { "note saved" }.into());
            }
            PromptKind::HighlightNote => {
                let (Some(a), Some((start, end))) = (self.current, self.selection_range()) else { return };
                let Some(view) = &self.view else { return };
                let Some(passage) = view.text.body.get(start..end).map(str::to_string) else { return };
                let id = self.corpus.articles[a].id.clone();
                let note = (!input.is_empty()).then_some(input);
                self.user.highlights.entry(id.clone()).or_default().push(Passage { start, end, note: note.clone() });
                self.user.effects.push(Effect::Highlight { article: id.clone(), start, end, passage, note });
                self.user.undo.push(Undo::Highlight { article: id });
                self.user.selection = None;
                self.message = Some("highlighted".into());
            }
            PromptKind::Merge => {
                let Some(e) = entity else { return };
                self.answer_user_prompt(&prompt);
                match self.entity_results.get(self.entity_selected).copied() {
                    Some(into) if into != e => {
                        let (from, to) = (self.corpus.entity(e).name.clone(), self.corpus.entity(into).name.clone());
                        self.correct(Op::Merge, e, Some(to.clone()), format!("merged {from} into {to}"));
                    }
                    Some(_) => self.message = Some("that is the same entity".into()),
                    None => self.message = Some(format!("no entity matches “{input}”")),
                }
                self.entity_results.clear();
            }
            PromptKind::AddMention => {
                let Some(text) = self.search_text() else { return };
                self.answer_user_prompt(&prompt);
                let chosen = self.entity_results.get(self.entity_selected).copied();
                self.entity_results.clear();
                let (kind, target) = match chosen {
                    Some(e) => (self.corpus.entity(e).kind, self.corpus.entity(e).name.clone()),
                    None if !input.is_empty() => (Kind::Other, input.clone()),
                    None => return,
                };
                let said = format!("“{text}” is {target}");
                let c = Correction {
                    id: 0,
                    op: Op::Add,
                    kind: Some(kind),
                    name: text,
                    target: Some(target),
                    date: String::new(),
                };
                self.user.effects.push(Effect::Correct(c));
                self.user.undo.push(Undo::Correction(said.clone()));
                self.message = Some(format!("{said} — re-indexing…"));
            }
            PromptKind::Rename => {
                let Some(e) = entity else { return };
                let old = self.corpus.entity(e).name.clone();
                if input.is_empty() || input == old {
                    return;
                }
                self.correct(Op::Rename, e, Some(input.clone()), format!("renamed {old} to {input}"));
            }
            PromptKind::Retype => {
                let Some(e) = entity.filter(|_| !input.is_empty()) else { return };
                self.prompt = Some(prompt.clone());
                let kind = self.completions().first().and_then(|k| Kind::parse(k));
                self.prompt = None;
                match kind {
                    Some(k) => {
                        let name = self.corpus.entity(e).name.clone();
                        self.correct(Op::Retype, e, Some(k.as_str().into()), format!("{name} is a {}", k.as_str()));
                    }
                    None => self.message = Some("kinds: person, organization, place, group, other".into()),
                }
            }
            PromptKind::Split => {
                let Some(e) = entity.filter(|_| !input.is_empty()) else { return };
                self.prompt = Some(prompt.clone());
                self.user.correcting = Some(e);
                let alias = self.completions().into_iter().next();
                self.user.correcting = None;
                self.prompt = None;
                let entity = self.corpus.entity(e);
                match alias {
                    Some(alias) if entity.aliases.len() > 1 => {
                        let name = entity.name.clone();
                        let said = format!("split {alias} out of {name}");
                        let c = Correction {
                            id: 0,
                            op: Op::Split,
                            kind: Some(entity.kind),
                            name: alias,
                            target: Some(name),
                            date: String::new(),
                        };
                        self.user.effects.push(Effect::Correct(c));
                        self.user.undo.push(Undo::Correction(said.clone()));
                        self.message = Some(format!("{said} — re-indexing…"));
                    }
                    _ => self.message = Some(format!("{} has no other name “{input}”", entity.name)),
                }
            }
            _ => {}
        }
    }

    /// Answers a merge prompt's ranking now if the worker has not.
    fn answer_user_prompt(&mut self, prompt: &Prompt) {
        if self.answered == self.generation {
            return;
        }
        self.prompt = Some(prompt.clone());
        if self.pending_job.is_none() {
            self.user_prompt_changed();
        }
        self.run_pending_job();
        self.prompt = None;
    }

    /// The collection indexed again after a correction: the same article stays open and
    /// selected, the same entity selected when it still exists.
    pub(super) fn reindexed(&mut self, corpus: Arc<Corpus>) {
        let current = self.current.map(|a| self.corpus.articles[a].id.clone());
        let selected = self.rows.get(self.selected).map(|&a| self.corpus.articles[a as usize].id.clone());
        let entity = self.selected_entity.map(|e| self.corpus.entity(e).name.clone());
        let (focus, scroll, sidebar) = (self.focus, self.scroll, self.sidebar_selected);
        self.set_corpus(corpus);
        let find =
            |id: &Option<String>| id.as_ref().and_then(|id| self.corpus.articles.iter().position(|m| &m.id == id));
        if let Some(row) = find(&selected).and_then(|a| self.rows.iter().position(|&r| r as usize == a)) {
            self.selected = row;
        }
        if let Some(a) = find(&current) {
            self.current = None;
            self.open_then(a, false, super::AfterOpen::Line(scroll));
        }
        self.selected_entity = entity.and_then(|n| self.corpus.index.find(&n).first().copied());
        self.sidebar_selected = sidebar.min(self.sidebar.len().saturating_sub(1));
        self.focus = focus;
        self.relayout();
        self.message = Some(match self.user.team_said.take() {
            Some(said) => format!("{said} · re-indexed"),
            None => "re-indexed with your corrections".into(),
        });
    }

    /// Colleagues changed the team's store: the status line says who did what, and their tags,
    /// notes and highlights show (this browser's own changes are written before this comes).
    pub(super) fn colleagues(&mut self, said: Vec<String>, user: BTreeMap<String, ArticleUser>, reindex: bool) {
        let Some(last) = said.last() else { return };
        let message = match said.len() {
            1 => last.clone(),
            n => format!("{last} (and {} more change{})", n - 1, if n == 2 { "" } else { "s" }),
        };
        let fresh = UserState::from_store(user);
        let s = &mut self.user;
        (s.starred, s.tags, s.notes, s.highlights) = (fresh.starred, fresh.tags, fresh.notes, fresh.highlights);
        if reindex {
            s.team_said = Some(message.clone());
        }
        self.message = Some(message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::{app, key, press};
    use crossterm::event::KeyCode;

    fn selected_id(app: &App) -> String {
        app.corpus.articles[app.rows[app.selected] as usize].id.clone()
    }

    #[test]
    fn star_tag_and_note_are_saved_and_undone_in_turn() {
        let mut app = app();
        let id = selected_id(&app);
        press(&mut app, "*");
        assert!(app.user.starred.contains(&id));
        press(&mut app, "tflood sindh");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.user.tags[&id], ["flood", "sindh"]);
        press(&mut app, "t-flood");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.user.tags[&id], ["sindh"]);
        press(&mut app, "mcall the ministry");
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.user.notes[&id], "call the ministry");
        let effects = app.user.take_effects();
        assert_eq!(effects[0], Effect::Star { article: id.clone(), on: true });
        assert_eq!(effects.len(), 5, "{effects:?}");
        assert_eq!(effects[4], Effect::Note { article: id.clone(), text: "call the ministry".into() });

        press(&mut app, "U");
        assert!(!app.user.notes.contains_key(&id));
        press(&mut app, "U");
        assert_eq!(app.user.tags[&id], ["flood", "sindh"]);
        press(&mut app, "UUU");
        assert!(!app.user.starred.contains(&id));
        assert!(app.user.tags[&id].is_empty());
        assert_eq!(app.user.take_effects().len(), 5, "each undo is saved too");
        press(&mut app, "U");
        assert_eq!(app.message.as_deref(), Some("nothing to undo"));
    }

    #[test]
    fn a_colleagues_change_is_said_with_their_name_and_outlives_the_reindex() {
        let mut app = app();
        key(&mut app, KeyCode::Enter);
        let id = app.corpus.articles[app.current.unwrap()].id.clone();
        let mut user = BTreeMap::new();
        user.insert(id.clone(), ArticleUser { tags: vec!["flood".into()], ..ArticleUser::default() });
        let said = vec!["ben tagged x flood".to_string(), "ana merged Taliban into Afghan Taliban".to_string()];
        app.update(super::super::Action::Colleagues(said, user, true));
        assert_eq!(app.message.as_deref(), Some("ana merged Taliban into Afghan Taliban (and 1 more change)"));
        assert_eq!(app.user.tags[&id], ["flood"], "the team's tags show at once");
        assert!(app.user.take_effects().is_empty(), "nothing to write back");
        let corpus = Arc::clone(&app.corpus);
        app.update(super::super::Action::Reindexed(corpus));
        assert_eq!(
            app.message.as_deref(),
            Some("ana merged Taliban into Afghan Taliban (and 1 more change) · re-indexed")
        );
        let corpus = Arc::clone(&app.corpus);
        app.update(super::super::Action::Reindexed(corpus));
        assert_eq!(app.message.as_deref(), Some("re-indexed with your corrections"), "said once");
    }

    #[test]
    fn sidebar_keys_make_corrections() {
        let mut app = app();
        key(&mut app, KeyCode::Enter);
        key(&mut app, KeyCode::Tab);
        assert_eq!(app.focus, Pane::Sidebar);
        let first = app.sidebar[0].0;
        let name = app.corpus.entity(first).name.clone();
        press(&mut app, "X");
        match app.user.take_effects().as_slice() {
            [Effect::Correct(c)] => {
                assert_eq!((c.op, c.name.as_str()), (Op::Reject, name.as_str()));
            }
            other => panic!("{other:?}"),
        }
        press(&mut app, "Tpl");
        assert_eq!(app.completions(), ["place"]);
        key(&mut app, KeyCode::Enter);
        match app.user.take_effects().as_slice() {
            [Effect::Correct(c)] => assert_eq!((c.op, c.target.as_deref()), (Op::Retype, Some("place"))),
            other => panic!("{other:?}"),
        }
        press(&mut app, "Mkabul");
        key(&mut app, KeyCode::Enter);
        let effects = app.user.take_effects();
        if name != "Kabul" {
            match effects.as_slice() {
                [Effect::Correct(c)] => assert_eq!((c.op, c.target.as_deref()), (Op::Merge, Some("Kabul"))),
                other => panic!("{other:?}"),
            }
        }
        press(&mut app, "U");
        assert_eq!(app.user.take_effects(), [Effect::UndoLastCorrection]);
    }

    #[test]
    fn a_found_text_is_added_as_a_mention() {
        let mut app = app();
        key(&mut app, KeyCode::Enter);
        press(&mut app, "A");
        assert!(app.prompt.is_none(), "nothing found yet");
        press(&mut app, "/security forces");
        key(&mut app, KeyCode::Enter);
        press(&mut app, "ASecurity forces");
        key(&mut app, KeyCode::Enter);
        match app.user.take_effects().as_slice() {
            [Effect::Correct(c)] => {
                assert_eq!(
                    (c.op, c.name.as_str(), c.target.as_deref()),
                    (Op::Add, "security forces", Some("Security forces"))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_selection_is_highlighted_with_a_note() {
        let mut app = app();
        key(&mut app, KeyCode::Enter);
        assert_eq!(app.focus, Pane::Reader);
        press(&mut app, "v");
        let (s1, e1) = app.selection_range().unwrap();
        press(&mut app, "jj");
        let (s2, e2) = app.selection_range().unwrap();
        assert_eq!(s1, s2);
        assert!(e2 > e1, "j extends the selection");
        press(&mut app, "Hcheck this");
        key(&mut app, KeyCode::Enter);
        assert!(app.user.selection.is_none());
        let a = app.current.unwrap();
        assert_eq!(app.passages(a), [Passage { start: s2, end: e2, note: Some("check this".into()) }]);
        match app.user.take_effects().as_slice() {
            [Effect::Highlight { passage, .. }] => {
                assert_eq!(passage, &app.view.as_ref().unwrap().text.body[s2..e2]);
            }
            other => panic!("{other:?}"),
        }
        press(&mut app, "v");
        key(&mut app, KeyCode::Esc);
        assert!(app.user.selection.is_none(), "Esc drops a selection");
    }
}
