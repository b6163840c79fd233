//! The UI layer: drawing only. One module per pane; each reads the [`App`] and draws, and none
//! changes state.

mod list;
mod overlay;
mod reader;
mod sidebar;
mod status;
pub mod theme;
mod timeline;
mod user;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

use crate::app::{App, Pane};
use theme::Theme;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    if let Some((done, total)) = app.loading {
        return loading(frame, done, total, theme);
    }
    let layout = app.layout();
    if let Some(r) = layout.list {
        list::draw(frame, r, app, theme);
    }
    if let Some(r) = layout.reader {
        reader::draw(frame, r, app, theme);
    }
    if let Some(r) = layout.sidebar {
        sidebar::draw(frame, r, app, theme);
    }
    status::draw(frame, layout.status, app, theme);
    overlay::draw(frame, frame.area(), app, theme);
}

/// The gauge shown while the collection loads: it fills in as files are processed.
fn loading(frame: &mut Frame<'_>, done: usize, total: usize, theme: &Theme) {
    let area = frame.area();
    let r = centered(area, 60.min(area.width), 3.min(area.height));
    let ratio = if total == 0 { 0.0 } else { done as f64 / total as f64 };
    let label = if total == 0 { "finding articles…".to_string() } else { format!("{done} / {total} files") };
    let gauge = ratatui::widgets::Gauge::default()
        .block(Block::default().borders(Borders::ALL).title(Span::styled(" Loading the collection ", theme.title())))
        .gauge_style(theme.selected(true))
        .ratio(ratio.clamp(0.0, 1.0))
        .label(label);
    frame.render_widget(gauge, r);
}

/// A pane's frame, its border bold when it has the focus.
fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default().borders(Borders::ALL).border_style(theme.border(focused)).title(title)
}

fn focused(app: &App, pane: Pane) -> bool {
    app.focus == pane && app.prompt.is_none()
}

/// Splits `text` into spans styled by byte ranges (sorted, non-overlapping), on top of `base`.
fn styled_spans<'a>(text: &'a str, offset: usize, ranges: &[(usize, usize, Style)], base: Style) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for &(s, e, style) in ranges {
        let (s, e) = (s.saturating_sub(offset).max(at).min(text.len()), e.saturating_sub(offset).min(text.len()));
        if s >= e || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        if s > at {
            spans.push(Span::styled(&text[at..s], base));
        }
        spans.push(Span::styled(&text[s..e], base.patch(style)));
        at = e;
    }
    if at < text.len() {
        spans.push(Span::styled(&text[at..], base));
    }
    spans
}

/// Spans cut to `max` columns, ending in `…` when something was cut (a pane title, a prompt
/// line), so a cut never looks like a whole word.
fn fit(spans: Vec<Span<'_>>, max: usize) -> Vec<Span<'static>> {
    use unicode_width::UnicodeWidthChar;
    let total: usize = spans.iter().map(|s| crate::core::text::width(&s.content)).sum();
    if total <= max {
        return spans.into_iter().map(|s| Span::styled(s.content.into_owned(), s.style)).collect();
    }
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let mut kept = String::new();
        let mut full = false;
        for c in s.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > max {
                full = true;
                break;
            }
            used += w;
            kept.push(c);
        }
        if full {
            if max > 0 {
                kept.push('…');
            }
            out.push(Span::styled(kept, s.style));
            break;
        }
        out.push(Span::styled(kept, s.style));
    }
    out
}

/// A rectangle of `w`×`h` centred in `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}
