//! Pop-ups over the panes: the entity-jump prompt with its results, and help, which is
//! generated from the keymap the event loop uses.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::centered;
use super::theme::Theme;
use crate::app::keymap::{Command, Scope, QUERY_HELP};
use crate::app::{App, PromptKind};
use crate::core::extract::Kind;
use crate::core::text::truncate_to_width;
use crate::ui::theme::ColorMode;

/// One entity a prompt offers: its name in its kind's style, the kind and its reach.
pub fn entity_choice(app: &App, e: u32, selected: bool, w: usize, theme: &Theme) -> Line<'static> {
    let entity = app.corpus.entity(e);
    // "art." only where "articles" leaves the name too little room.
    let articles = if w >= 50 {
        crate::core::text::counted(entity.articles, "article", "articles")
    } else {
        format!("{} art.", entity.articles)
    };
    let tail = format!("  {} · {articles}", entity.kind);
    let name = truncate_to_width(&entity.name, w.saturating_sub(crate::core::text::width(&tail) + 2));
    let line =
        Line::from(vec![Span::raw("  "), Span::styled(name, theme.kind(entity.kind)), Span::styled(tail, theme.dim())]);
    if selected {
        line.style(theme.selected(true))
    } else {
        line
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    if app.help {
        help(frame, area, app, theme);
    } else if app.prompt.as_ref().is_some_and(|p| p.kind == PromptKind::Entity) {
        entity_prompt(frame, area, app, theme);
    } else if app.prompt.as_ref().is_some_and(|p| super::user::is_user_prompt(p.kind)) {
        super::user::prompt(frame, area, app, theme);
    } else if app.timeline.open {
        super::timeline::draw(frame, area, app, theme);
    } else if app.user.notes_view {
        super::user::notes_view(frame, area, app, theme);
    }
}

fn entity_prompt(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let input = app.prompt.as_ref().map_or("", |p| p.input.as_str());
    let r = centered(area, 60.min(area.width.saturating_sub(4)).max(20), 16.min(area.height.saturating_sub(2)).max(5));
    frame.render_widget(Clear, r);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(" Jump to an entity ", theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let w = usize::from(inner.width);
    let mut lines = vec![Line::from(vec![
        Span::styled("entity› ", theme.title()),
        Span::raw(input.to_string()),
        Span::styled("▏", theme.dim()),
    ])];
    let room = usize::from(inner.height).saturating_sub(1);
    let first = app.entity_selected.saturating_sub(room.saturating_sub(1));
    for (i, &e) in app.entity_results.iter().enumerate().skip(first).take(room) {
        lines.push(entity_choice(app, e, i == app.entity_selected, w, theme));
    }
    if app.entity_results.is_empty() && !input.trim().is_empty() {
        lines.push(Line::styled("  no entity matches", theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn help(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    // Over the panes, above the status bar, a column in from each side: its border never lies
    // on the panes' borders.
    let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    let r = centered(body, 78.min(body.width.saturating_sub(2)), body.height.saturating_sub(2).max(3));
    frame.render_widget(Clear, r);
    let scroll_keys = [Command::Down, Command::Up]
        .map(|c| app.keys.key_label(Scope::Everywhere, c).unwrap_or_else(|| "?".into()))
        .join("/");
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" Keys — {scroll_keys} scroll, any other key closes "), theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines: Vec<Line<'_>> = Vec::new();
    // Every key, from the keymap the event loop uses (the user's config file included).
    for scope in Scope::ALL {
        lines.push(Line::styled(scope.title(), theme.title()));
        for (keys, help) in app.keys.help_rows(scope) {
            let pad = 12usize.saturating_sub(crate::core::text::width(&keys)).max(1);
            lines.push(Line::from(vec![Span::raw(format!("  {keys}{}", " ".repeat(pad))), Span::raw(help)]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Search (/ in the list; newsroom search on the command line)", theme.title()));
    for (q, what) in QUERY_HELP {
        lines.push(Line::raw(format!("  {q:<30}{what}")));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Mentions in the reader", theme.title()));
    let mut legend = vec![Span::raw("  ")];
    for kind in Kind::ALL {
        legend.push(Span::styled(kind.as_str(), theme.kind(kind)));
        legend.push(Span::raw("  "));
    }
    lines.push(Line::from(legend));
    if theme.mode == ColorMode::None {
        lines.push(Line::raw("  (no colour: person bold, organisation underlined, place italic, date dim, group bold italic, other underlined italic)"));
    }
    let scroll = app.help_scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
}
