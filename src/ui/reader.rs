//! The reader: title, metadata, deck and wrapped paragraphs, with mentions highlighted by kind
//! and the selected entity's mentions and search matches marked.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::Theme;
use super::{focused, pane_block, styled_spans};
use crate::app::reader::LineKind;
use crate::app::{inner, App, Pane, PromptKind};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let (Some(a), Some(view)) = (app.current, app.view.as_ref()) else {
        frame.render_widget(pane_block(Line::from(" Reader "), focused(app, Pane::Reader), theme), area);
        return;
    };
    let article = &app.corpus.articles[a];
    let body_area = inner(area);
    let h = usize::from(body_area.height);
    let percent = if app.lines.len() <= h { 100 } else { (app.scroll + h) * 100 / app.lines.len() };
    let title =
        Line::from(vec![Span::styled(" Reader ", theme.title()), Span::styled(format!("{percent}% "), theme.dim())]);
    frame.render_widget(pane_block(title, focused(app, Pane::Reader), theme), area);

    // Highlights over the whole body: mentions by kind; the selected entity's mentions and the
    // current one; search matches on top.
    let mut marks: Vec<(usize, usize, Style)> = Vec::new();
    let current_mention = app.selected_entity.zip(app.mention_cursor).and_then(|(e, c)| app.mentions_of(a, e).nth(c));
    for m in &view.mentions {
        let kind = app.corpus.entity(m.entity).kind;
        let mut style = theme.kind(kind);
        if Some(m.entity) == app.selected_entity {
            style = style.patch(theme.selected_mention());
        }
        if current_mention == Some((m.start as usize, m.end as usize)) {
            style = style.patch(theme.current());
        }
        marks.push((m.start as usize, m.end as usize, style));
    }
    if let Some(search) = &app.search {
        for (i, &(s, e)) in search.matches.iter().enumerate() {
            let style = if search.current == Some(i) {
                theme.search_match().patch(theme.current())
            } else {
                theme.search_match()
            };
            marks.retain(|&(ms, me, _)| me <= s || ms >= e);
            marks.push((s, e, style));
        }
        marks.sort_by_key(|m| m.0);
    }

    let selection = app.selection_range();
    let mut lines = Vec::with_capacity(h);
    for line in app.lines.iter().skip(app.scroll).take(h) {
        let l = match line.kind {
            LineKind::Title => {
                let style = if article.title_derived { theme.title().patch(theme.derived()) } else { theme.title() };
                Line::styled(line.text.as_str(), style)
            }
            LineKind::Meta => Line::styled(line.text.as_str(), theme.dim()),
            LineKind::Deck => {
                Line::styled(line.text.as_str(), Style::default().add_modifier(ratatui::style::Modifier::ITALIC))
            }
            LineKind::Note => Line::styled(line.text.as_str(), theme.dim()),
            LineKind::Blank => Line::raw(""),
            LineKind::Body { start, end } => {
                let first = marks.partition_point(|m| m.1 <= start);
                let relevant: Vec<_> = marks[first..].iter().take_while(|m| m.0 < end).copied().collect();
                // The user's highlighted passages and the selection being made, by whole lines.
                let mut base = Style::default();
                if app.passages(a).iter().any(|p| p.start < end && p.end > start) {
                    base = super::user::passage_style(theme);
                }
                if selection.is_some_and(|(s, e)| s < end && e > start) {
                    base = theme.selected(false);
                }
                Line::from(styled_spans(&view.text.body[start..end], start, &relevant, base))
            }
        };
        lines.push(l);
    }
    let mut text_area = body_area;
    if let Some(prompt) = app.prompt.as_ref().filter(|p| p.kind == PromptKind::Search) {
        let found = app.search.as_ref().map_or(0, |s| s.matches.len());
        let bar = Line::from(vec![
            Span::styled("/", theme.title()),
            Span::raw(prompt.input.clone()),
            Span::styled("▏", theme.dim()),
            Span::styled(format!("  {found} found"), theme.dim()),
        ]);
        let y = body_area.y + body_area.height.saturating_sub(1);
        frame.render_widget(Paragraph::new(bar), Rect::new(body_area.x, y, body_area.width, 1.min(body_area.height)));
        text_area.height = text_area.height.saturating_sub(1);
    }
    frame.render_widget(Paragraph::new(lines), text_area);
}
