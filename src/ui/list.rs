//! The article list: read mark, date, title (derived titles set apart), entity count.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::Theme;
use super::{fit, focused, pane_block};
use crate::app::{inner, App, Pane, PromptKind};
use crate::core::text::{counted, truncate_to_width, width};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let mut title =
        vec![Span::styled(format!(" Articles {}/{} ", app.rows.len(), app.corpus.articles.len()), theme.title())];
    for crumb in app.breadcrumb() {
        title.push(Span::styled("› ", theme.dim()));
        title.push(Span::raw(format!("{crumb} ")));
    }
    // The order shown (`o` changes it; search results are best first), where the breadcrumb
    // leaves room for it; then the whole is cut with an ellipsis to the room between corners.
    let room = usize::from(area.width.saturating_sub(2));
    let sort = format!("by {} ", app.sort.name());
    let used: usize = title.iter().map(|s| width(&s.content)).sum();
    if app.fulltext.shown.is_none() && (app.filters.is_empty() || used + width(&sort) <= room) {
        title.push(Span::styled(sort, theme.dim()));
    }
    let title = fit(title, room);
    let block = pane_block(Line::from(title), focused(app, Pane::List), theme);
    let body = inner(area);
    frame.render_widget(block, area);

    let mut rows_area = body;
    if let Some(prompt) = app.prompt.as_ref().filter(|p| p.kind == PromptKind::Filter) {
        let n = app.rows.len();
        let line = Line::from(fit(
            vec![
                Span::styled("filter› ", theme.title()),
                Span::raw(prompt.input.clone()),
                Span::styled("▏", theme.dim()),
                Span::styled(format!("  {}", counted(n, "match", "matches")), theme.dim()),
            ],
            usize::from(body.width),
        ));
        frame.render_widget(Paragraph::new(line), Rect::new(body.x, body.y, body.width, 1.min(body.height)));
        rows_area = Rect::new(body.x, body.y + 1, body.width, body.height.saturating_sub(1));
    }
    if let Some(prompt) = app.prompt.as_ref().filter(|p| p.kind == PromptKind::FullText) {
        let line = Line::from(vec![
            Span::styled("search› ", theme.title()),
            Span::raw(prompt.input.clone()),
            Span::styled("▏", theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), Rect::new(body.x, body.y, body.width, 1.min(body.height)));
        rows_area = Rect::new(body.x, body.y + 1, body.width, body.height.saturating_sub(1));
    }
    let snippets = app.fulltext.shown.is_some();
    let per_row = if snippets { 2 } else { 1 };
    let w = usize::from(rows_area.width);
    let mut lines = Vec::new();
    for (pos, &a) in app.rows.iter().enumerate().skip(app.list_offset).take(usize::from(rows_area.height) / per_row) {
        let article = &app.corpus.articles[a as usize];
        let selected = pos == app.selected;
        let row_style = if selected { theme.selected(focused(app, Pane::List)) } else { Style::default() };
        let unread = !app.read.contains(&article.id);
        // The date shows at every width a list has beside the reader (24 columns and up);
        // the title gives way first, then the mention count.
        let show_date = w >= 24;
        let date = match (show_date, article.date.as_deref()) {
            (false, _) => String::new(),
            (true, Some(d)) => format!("{:<10} ", d.get(..10).unwrap_or(d)),
            (true, None) => " ".repeat(11),
        };
        let count = article.mentions;
        let count_text = if w >= 40 || !show_date { format!(" {count:>3}") } else { String::new() };
        let fixed = 2 + width(&date) + width(&count_text);
        let title_w = w.saturating_sub(fixed);
        let title = truncate_to_width(&article.title, title_w);
        let base = if article.title_derived { theme.derived() } else { Style::default() };
        let star = if app.user.starred.contains(&article.id) { "★" } else { " " };
        let mut spans = vec![
            Span::styled(if unread { "●" } else { " " }, theme.dim()),
            Span::styled(star, theme.title()),
            Span::styled(date, theme.dim()),
        ];
        let matched = app.highlights.get(&a);
        for (i, c) in title.chars().enumerate() {
            let style = if matched.is_some_and(|m| m.contains(&i)) { base.patch(theme.matched()) } else { base };
            spans.push(Span::styled(c.to_string(), style));
        }
        let pad = title_w.saturating_sub(width(&title));
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(count_text, theme.dim()));
        lines.push(Line::from(spans).style(row_style));
        if snippets {
            lines.push(snippet_line(app.fulltext.row(a), w, theme).style(row_style));
        }
    }
    if app.rows.is_empty() {
        lines.push(Line::styled("no article matches", theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), rows_area);
}

/// A search result's snippet: one line, indented, its hits highlighted.
fn snippet_line(row: Option<&crate::app::fulltext::SearchRow>, w: usize, theme: &Theme) -> Line<'static> {
    let Some(row) = row else { return Line::raw("") };
    let room = w.saturating_sub(4);
    let mut spans = vec![Span::raw("    ")];
    let mut used = 0;
    // A narrow pane shows the snippet from a little before its first hit.
    let mut at = 0;
    if let Some(&(first, _)) = row.marks.first().filter(|m| row.snippet.is_char_boundary(m.0)) {
        let before = row.snippet[..first].chars().count();
        let lead = room / 3;
        if width(&row.snippet[..first]) > lead {
            let skip = before - lead.min(before);
            at = row.snippet.char_indices().nth(skip).map_or(first, |(i, _)| i);
            spans.push(Span::styled("…", theme.dim()));
            used += 1;
        }
    }
    let mut push = |text: &str, style: Style, used: &mut usize| {
        let safe = crate::core::text::display_safe(text);
        let cut = truncate_to_width(&safe, room.saturating_sub(*used));
        *used += width(&cut);
        spans.push(Span::styled(cut, style));
    };
    for &(s, e) in &row.marks {
        if s < at || e > row.snippet.len() || !row.snippet.is_char_boundary(s) || !row.snippet.is_char_boundary(e) {
            continue;
        }
        push(&row.snippet[at..s], theme.dim(), &mut used);
        push(&row.snippet[s..e], theme.matched(), &mut used);
        at = e;
    }
    push(&row.snippet[at..], theme.dim(), &mut used);
    Line::from(spans)
}
