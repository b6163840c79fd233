//! The entity sidebar: the open article's entities grouped by kind with mention counts; with
//! details on, the selected entity's aliases (and why each merged) and what co-occurs with it.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::Theme;
use super::{focused, pane_block};
use crate::app::{inner, App, Pane};
use crate::core::extract::Kind;
use crate::core::text::{truncate_to_width, width};

fn heading(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "People",
        Kind::Organization => "Organisations",
        Kind::Place => "Places",
        Kind::Group => "Groups",
        Kind::Other => "Other",
        Kind::Date => "Dates",
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let title = Line::from(Span::styled(format!(" Entities {} ", app.sidebar.len()), theme.title()));
    frame.render_widget(pane_block(title, focused(app, Pane::Sidebar), theme), area);
    let body = inner(area);
    let w = usize::from(body.width);
    let mut details = if app.details { details_lines(app, theme, w) } else { Vec::new() };
    // Details take at most half the pane; the list keeps the rest.
    details.truncate(usize::from(body.height) / 2 + 1);
    // Beside search results: the entities most of them mention (facets).
    let mut facets: Vec<Line<'_>> = Vec::new();
    if app.fulltext.shown.is_some() && !app.fulltext.facets.is_empty() {
        let n = app.rows.len();
        facets.push(Line::styled(format!("In the {n} result{}", if n == 1 { "" } else { "s" }), theme.title()));
        for &(e, n) in &app.fulltext.facets {
            let entity = app.corpus.entity(e);
            let count_text = format!(" {n}");
            let name = truncate_to_width(&entity.name, w.saturating_sub(2 + width(&count_text)));
            let pad = w.saturating_sub(2 + width(&name) + width(&count_text));
            facets.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(name, theme.kind(entity.kind)),
                Span::raw(" ".repeat(pad)),
                Span::styled(count_text, theme.dim()),
            ]));
        }
        facets.push(Line::raw(""));
        facets.truncate(usize::from(body.height) / 2);
    }
    let list_h = usize::from(body.height).saturating_sub(details.len() + facets.len());
    let mut selected_line = 0;

    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut last_kind = None;
    for (i, &(e, count)) in app.sidebar.iter().enumerate() {
        let entity = app.corpus.entity(e);
        if last_kind != Some(entity.kind) {
            if i >= app.sidebar_offset {
                lines.push(Line::styled(heading(entity.kind), theme.kind(entity.kind).patch(theme.title())));
            }
            last_kind = Some(entity.kind);
        }
        if i < app.sidebar_offset {
            continue;
        }
        let count_text = format!(" {count}");
        let name = truncate_to_width(&entity.name, w.saturating_sub(2 + width(&count_text)));
        let pad = w.saturating_sub(2 + width(&name) + width(&count_text));
        let selected = i == app.sidebar_selected;
        let mut style = Style::default();
        if selected {
            style = theme.selected(focused(app, Pane::Sidebar));
        }
        let marker = if Some(e) == app.selected_entity { "▸ " } else { "  " };
        if selected {
            selected_line = lines.len();
        }
        lines.push(
            Line::from(vec![
                Span::raw(marker),
                Span::styled(name, theme.kind(entity.kind)),
                Span::raw(" ".repeat(pad)),
                Span::styled(count_text, theme.dim()),
            ])
            .style(style),
        );
    }
    if app.sidebar.is_empty() {
        lines.push(Line::styled("no entities", theme.dim()));
    }
    // The selected entity stays in view above the details.
    let skip = (selected_line + 1).saturating_sub(list_h);
    let mut lines: Vec<Line<'_>> = facets.into_iter().chain(lines.into_iter().skip(skip).take(list_h)).collect();
    lines.extend(details);
    frame.render_widget(Paragraph::new(lines), body);
}

/// Aliases with merge reasons, and the entities seen with the selected one most often.
fn details_lines<'a>(app: &'a App, theme: &Theme, w: usize) -> Vec<Line<'a>> {
    let Some(e) = app.details_entity() else {
        return Vec::new();
    };
    let entity = app.corpus.entity(e);
    let mut lines = vec![
        Line::styled("─".repeat(w), theme.dim()),
        Line::from(Span::styled(truncate_to_width(&entity.name, w), theme.kind(entity.kind))),
        Line::styled(
            truncate_to_width(
                &format!("{} · {} articles · {} mentions", entity.kind, entity.articles, entity.mentions),
                w,
            ),
            theme.dim(),
        ),
    ];
    if let Some(v) = &entity.value {
        lines.push(Line::styled(format!("ISO {v}"), theme.dim()));
    }
    if entity.aliases.len() > 1 {
        lines.push(Line::styled("Also written", theme.title()));
        for alias in entity.aliases.iter().skip(1).take(8) {
            lines.push(Line::raw(truncate_to_width(&format!(" {}", alias.name), w)));
            lines.push(Line::styled(truncate_to_width(&format!("   {}", alias.reason.describe()), w), theme.dim()));
            if let Some(date) = &alias.since {
                lines.push(Line::styled(truncate_to_width(&format!("   on {date}"), w), theme.dim()));
            }
        }
    }
    let computed;
    let co = match &app.cooccurrence {
        Some((of, co)) if *of == e => co,
        _ => {
            computed = app.corpus.index.cooccurring(e);
            &computed
        }
    };
    if !co.is_empty() {
        lines.push(Line::styled("Often with", theme.title()));
        for &(other, n) in co.iter().take(6) {
            let o = app.corpus.entity(other);
            let text = truncate_to_width(&format!(" {} ({n})", o.name), w);
            lines.push(Line::from(Span::styled(text, theme.kind(o.kind))));
        }
    }
    lines
}
