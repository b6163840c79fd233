//! The user's own layer on screen: the prompts for tags, notes, highlights and entity
//! corrections, and the notes view (every note and highlight of the collection).

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::centered;
use super::theme::Theme;
use crate::app::keymap::{Command, Scope};
use crate::app::{App, PromptKind};
use crate::core::text::truncate_to_width;

/// How a highlighted passage looks in the reader.
pub fn passage_style(theme: &Theme) -> Style {
    theme.matched().add_modifier(Modifier::UNDERLINED)
}

/// Whether a prompt is one of the user's (drawn here).
pub fn is_user_prompt(kind: PromptKind) -> bool {
    matches!(
        kind,
        PromptKind::Tag
            | PromptKind::Note
            | PromptKind::HighlightNote
            | PromptKind::Merge
            | PromptKind::Rename
            | PromptKind::Retype
            | PromptKind::Split
            | PromptKind::AddMention
    )
}

pub fn prompt(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let Some(p) = &app.prompt else { return };
    let about = app.user.correcting.map(|e| app.corpus.entity(e).name.clone());
    let article = app.focused_article().map(|a| app.corpus.articles[a].title.clone()).unwrap_or_default();
    // The prompt's keys as the keymap has them (a config file may move them).
    let key = |c: Command| app.keys.key_label(Scope::Prompt, c).unwrap_or_else(|| c.name().to_string());
    let (accept, choose) = (key(Command::Accept), format!("{} {}", key(Command::Up), key(Command::Down)));
    let (title, label, hint) = match p.kind {
        PromptKind::Tag => {
            let now = app
                .focused_article()
                .and_then(|a| app.user.tags.get(&app.corpus.articles[a].id))
                .map(|t| t.join(", "))
                .unwrap_or_default();
            (format!(" Tag: {article} "), "tags› ", format!("now: {now}  (space between tags, -tag removes)"))
        }
        PromptKind::Note => {
            (format!(" Note: {article} "), "note› ", format!("{accept} saves; an empty note removes it"))
        }
        PromptKind::HighlightNote => (" Highlight ".into(), "note› ", format!("optional; {accept} highlights")),
        PromptKind::Merge => (
            format!(" Merge {} into… ", about.unwrap_or_default()),
            "into› ",
            format!("{choose} choose, {accept} merges"),
        ),
        PromptKind::Rename => {
            (format!(" Rename {} ", about.unwrap_or_default()), "name› ", "the old name stays an alias".into())
        }
        PromptKind::Retype => (
            format!(" Kind of {} ", about.unwrap_or_default()),
            "kind› ",
            "person, organization, place, group, other".into(),
        ),
        PromptKind::Split => {
            (format!(" Split out of {} ", about.unwrap_or_default()), "alias› ", "one of its names".into())
        }
        PromptKind::AddMention => (
            format!(" “{}” is a mention of… ", app.search_text().unwrap_or_default()),
            "entity› ",
            format!("{choose} choose; a name no entity has makes a new one"),
        ),
        _ => return,
    };
    let r = centered(area, 64.min(area.width.saturating_sub(4)).max(20), 14.min(area.height.saturating_sub(2)).max(5));
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(truncate_to_width(&title, usize::from(r.width).saturating_sub(2)), theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let w = usize::from(inner.width);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(label, theme.title()),
            Span::raw(p.input.clone()),
            Span::styled("▏", theme.dim()),
        ]),
        Line::styled(truncate_to_width(&hint, w), theme.dim()),
    ];
    if matches!(p.kind, PromptKind::Merge | PromptKind::AddMention) {
        for (i, &e) in app.entity_results.iter().enumerate().take(usize::from(inner.height).saturating_sub(2)) {
            lines.push(super::overlay::entity_choice(app, e, i == app.entity_selected, w, theme));
        }
    } else {
        for (i, c) in app.completions().iter().enumerate() {
            let style = if i == 0 { theme.selected(true) } else { Style::default() };
            lines.push(Line::styled(truncate_to_width(&format!("  {c}"), w), style));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Every note and highlight of the collection, article by article.
pub fn notes_view(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let r = centered(area, 90.min(area.width), area.height.saturating_sub(2).max(3));
    frame.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" Your notes — j/k scroll, any other key closes ", theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for meta in &app.corpus.articles {
        let note = app.user.notes.get(&meta.id);
        let passages = app.user.highlights.get(&meta.id).map_or(&[][..], Vec::as_slice);
        if note.is_none() && passages.is_empty() {
            continue;
        }
        let mut head = vec![Span::styled(meta.title.clone(), theme.title())];
        if app.user.starred.contains(&meta.id) {
            head.push(Span::raw(" ★"));
        }
        if let Some(tags) = app.user.tags.get(&meta.id).filter(|t| !t.is_empty()) {
            head.push(Span::styled(
                format!("  {}", tags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" ")),
                theme.dim(),
            ));
        }
        lines.push(Line::from(head));
        lines.push(Line::styled(
            format!("{} · {}", &meta.id[..12.min(meta.id.len())], meta.date.as_deref().unwrap_or("undated")),
            theme.dim(),
        ));
        if let Some(n) = note {
            lines.push(Line::raw(n.clone()));
        }
        if !passages.is_empty() {
            // The passages' text is in the article, loaded on demand; the store keeps it too.
            let text = app.corpus.open(app.corpus.articles.iter().position(|m| m.id == meta.id).unwrap_or(0)).ok();
            for p in passages {
                let quoted = text.as_ref().and_then(|v| v.text.body.get(p.start..p.end)).unwrap_or("");
                lines.push(Line::styled(format!("> {}", quoted.replace('\n', " ")), passage_style(theme)));
                if let Some(n) = &p.note {
                    lines.push(Line::raw(format!("  {n}")));
                }
            }
        }
        lines.push(Line::raw(""));
    }
    if lines.is_empty() {
        lines.push(Line::styled("No notes yet: m writes an article's note, v … H highlights a passage.", theme.dim()));
    }
    let scroll = app.user.notes_scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll as u16, 0)), inner);
}
