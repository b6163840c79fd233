//! The timeline view: articles and events by period as a ratatui bar chart (two bars a period:
//! articles, events), the selected period described above it, and the events pane below.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::theme::Theme;
use crate::app::timeline::TimelineScope;
use crate::app::App;
use crate::core::events::timeline::Bucket;
use crate::core::events::Role;
use crate::core::text::{display_safe, truncate_to_width};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let t = &app.timeline;
    let r = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1).max(3));
    frame.render_widget(Clear, r);
    let by = match t.by {
        Bucket::Day => "day",
        Bucket::Month => "month",
        Bucket::Year => "year",
    };
    let what = match &t.scope {
        TimelineScope::List if app.filters.is_empty() => "the collection".to_string(),
        TimelineScope::List => format!("the list ({})", app.breadcrumb().join(" › ")),
        TimelineScope::Article(a) => {
            format!("the list; events of “{}”", truncate_to_width(&display_safe(&app.corpus.articles[*a].title), 30))
        }
        TimelineScope::Entity(e) => display_safe(&app.corpus.entity(*e).name),
    };
    let block = Block::default().borders(Borders::ALL).border_style(theme.border(true)).title(Line::from(vec![
        Span::styled(format!(" Timeline of {what}, by {by} "), theme.title()),
        Span::styled("← → period · Enter filter · Tab/j/k events · e entity · d/m/y · Esc ", theme.dim()),
    ]));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let rows = Layout::vertical([Constraint::Length(1), Constraint::Percentage(55), Constraint::Min(3)]).split(inner);

    // The selected period, in words.
    let summary = match t.chart.bars.get(t.selected) {
        Some(b) => format!(
            "{}: {} article{}, {} event{}{}",
            b.label,
            b.articles,
            if b.articles == 1 { "" } else { "s" },
            b.events,
            if b.events == 1 { "" } else { "s" },
            if t.chart.undated_articles > 0 {
                format!("   ({} undated articles)", t.chart.undated_articles)
            } else {
                String::new()
            }
        ),
        None => "No dated articles or events here.".to_string(),
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("■ articles ", article_style(theme)),
            Span::styled("■ events   ", event_style(theme)),
            Span::styled(summary, theme.title()),
        ])),
        rows[0],
    );

    // The bars: a window of periods around the selected one that fits the width.
    // Two bars of 2 columns, the gap after each (ratatui puts one after the last bar too) and
    // the gap between groups: 7 columns, or the last period is cut off at 80 columns.
    let group_w = 7u16;
    let fit = usize::from(rows[1].width / group_w).max(1);
    let n = t.chart.bars.len();
    let first = t.selected.saturating_sub(fit.saturating_sub(1) * 3 / 4).min(n.saturating_sub(fit));
    let groups: Vec<BarGroup<'_>> = t
        .chart
        .bars
        .iter()
        .enumerate()
        .skip(first)
        .take(fit)
        .map(|(i, b)| {
            let label = short_label(&b.label, t.by);
            let selected = i == t.selected;
            let mark = |s: Style| if selected { s.add_modifier(Modifier::REVERSED) } else { s };
            BarGroup::with_label(
                Line::styled(label, if selected { theme.selected(true) } else { theme.dim() }),
                vec![
                    Bar::new(u64::from(b.articles)).style(mark(article_style(theme))).text_value(String::new()),
                    Bar::new(u64::from(b.events)).style(mark(event_style(theme))).text_value(String::new()),
                ],
            )
        })
        .collect();
    let chart = BarChart::grouped(groups).bar_width(2).bar_gap(1).group_gap(1);
    frame.render_widget(chart, rows[1]);

    // The events pane.
    let title = match &t.scope {
        TimelineScope::Article(_) => " Events of this article ",
        TimelineScope::Entity(_) => " Events it is in ",
        TimelineScope::List => " Events of the list ",
    };
    let events_block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border(t.in_events))
        .title(Span::styled(format!("{title}({}) — Enter reads the source sentence ", t.events.len()), theme.title()));
    let events_area = events_block.inner(rows[2]);
    frame.render_widget(events_block, rows[2]);
    let w = usize::from(events_area.width);
    let h = usize::from(events_area.height).max(1);
    let top = t.event_selected.saturating_sub(h.saturating_sub(1));
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (i, e) in t.events.iter().enumerate().skip(top).take(h) {
        let (_, sub) = e.acled();
        let place = e.place.map(|p| display_safe(&app.corpus.entity(p).name)).unwrap_or_else(|| "place unknown".into());
        let mut text =
            format!("{:<10}  {}  {}", e.date.map(|d| d.iso()).unwrap_or_else(|| "undated".into()), sub, place);
        if let Some(k) = e.killed {
            text.push_str(&format!(" · killed {}", k.text()));
        }
        if let Some(k) = e.injured {
            text.push_str(&format!(" · injured {}", k.text()));
        }
        if let Some(a) = e.actor_name(&app.corpus, Role::Perpetrator) {
            text.push_str(&format!(" · by {}", display_safe(&a)));
        }
        let mut articles: Vec<u32> = e.sources.iter().map(|s| s.article).collect();
        articles.dedup();
        if articles.len() > 1 {
            text.push_str(&format!(" · {} articles", articles.len()));
        }
        let line = Line::raw(truncate_to_width(&text, w));
        lines.push(if i == t.event_selected && t.in_events { line.style(theme.selected(true)) } else { line });
    }
    if lines.is_empty() {
        lines.push(Line::styled("No events reported here.", theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), events_area);
}

/// A period's label as it fits under two bars: "23-12", "12-13", "2023".
fn short_label(label: &str, by: Bucket) -> String {
    match by {
        Bucket::Month => label.get(2..).unwrap_or(label).to_string(),
        Bucket::Day => label.get(5..).unwrap_or(label).to_string(),
        Bucket::Year => label.to_string(),
    }
}

fn article_style(theme: &Theme) -> Style {
    theme.kind(crate::core::extract::Kind::Group)
}

fn event_style(theme: &Theme) -> Style {
    theme.kind(crate::core::extract::Kind::Other)
}
