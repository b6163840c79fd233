//! The timeline view (`T` in the list or the reader): articles and events of the list as it is
//! filtered, by month (or day, or year), as a bar chart with a selected bar; Enter on a bar
//! filters the list to that period (a breadcrumb step Esc pops); `e` shows the selected
//! entity's own timeline. Below the chart, the events pane: the events of the list (or of the
//! open article, when opened from the reader), each jumping to its source sentence.

use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Filter, Pane};
use crate::core::events::timeline::{self, Bucket, Timeline};
use crate::core::events::{self, Event};

/// What the view shows events of.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TimelineScope {
    /// The list as filtered.
    #[default]
    List,
    /// The open article.
    Article(usize),
    /// One entity: the articles that mention it, the events it is in.
    Entity(u32),
}

#[derive(Debug, Clone, Default)]
pub struct TimelineView {
    pub open: bool,
    pub scope: TimelineScope,
    pub by: Bucket,
    pub chart: Timeline,
    /// The selected bar.
    pub selected: usize,
    /// The events listed below the chart, by date.
    pub events: Vec<Event>,
    pub event_selected: usize,
    /// Keys move in the events pane rather than along the bars.
    pub in_events: bool,
}

impl App {
    /// Opens the timeline of the list (or of the open article's events, from the reader).
    pub fn open_timeline(&mut self) {
        let scope = match (self.focus, self.current) {
            (Pane::Reader, Some(a)) => TimelineScope::Article(a),
            _ => TimelineScope::List,
        };
        self.timeline.by = Bucket::Month;
        self.show_timeline(scope);
    }

    fn show_timeline(&mut self, scope: TimelineScope) {
        let rows: Vec<usize> = self.rows.iter().map(|&a| a as usize).collect();
        let (articles, evs) = match &scope {
            TimelineScope::List => (rows.clone(), events::collect(&self.corpus, rows.iter().copied())),
            TimelineScope::Article(a) => (rows.clone(), events::collect(&self.corpus, [*a])),
            TimelineScope::Entity(e) => {
                let all = events::collect(&self.corpus, 0..self.corpus.articles.len());
                timeline::for_entity(&self.corpus, *e, &all)
            }
        };
        let chart_events = match &scope {
            // The chart counts the list's events even when the pane lists one article's.
            TimelineScope::Article(_) => events::collect(&self.corpus, rows.iter().copied()),
            _ => evs.clone(),
        };
        let t = &mut self.timeline;
        t.chart = timeline::count(&self.corpus, &articles, &chart_events, t.by);
        t.events = evs;
        t.scope = scope;
        t.open = true;
        t.in_events = matches!(t.scope, TimelineScope::Article(_)) && !t.events.is_empty();
        t.event_selected = 0;
        // The latest period with anything in it.
        t.selected = t.chart.bars.iter().rposition(|b| b.articles + b.events > 0).unwrap_or(0);
    }

    /// Keys while the timeline is open.
    pub(crate) fn timeline_key(&mut self, key: KeyEvent) {
        let t = &mut self.timeline;
        let bars = t.chart.bars.len();
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('T') => t.open = false,
            KeyCode::Tab | KeyCode::BackTab => t.in_events = !t.in_events && !t.events.is_empty(),
            KeyCode::Left | KeyCode::Char('h') => t.selected = t.selected.saturating_sub(1),
            KeyCode::Right | KeyCode::Char('l') => t.selected = (t.selected + 1).min(bars.saturating_sub(1)),
            KeyCode::Home | KeyCode::Char('g') => t.selected = 0,
            KeyCode::End | KeyCode::Char('G') => t.selected = bars.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                t.in_events = !t.events.is_empty();
                t.event_selected = (t.event_selected + 1).min(t.events.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => {
                t.in_events = !t.events.is_empty();
                t.event_selected = t.event_selected.saturating_sub(1);
            }
            KeyCode::Char(c @ ('d' | 'm' | 'y')) => {
                t.by = match c {
                    'd' => Bucket::Day,
                    'y' => Bucket::Year,
                    _ => Bucket::Month,
                };
                let scope = t.scope.clone();
                self.show_timeline(scope);
            }
            KeyCode::Char('e') => {
                if let TimelineScope::Entity(_) = t.scope {
                    self.show_timeline(TimelineScope::List);
                } else if let Some(e) = self.details_entity() {
                    self.show_timeline(TimelineScope::Entity(e));
                } else {
                    self.message = Some("select an entity in the sidebar first".into());
                }
            }
            KeyCode::Enter if t.in_events => self.jump_to_event(),
            KeyCode::Enter => self.filter_to_period(),
            _ => {}
        }
    }

    /// Filters the list to the selected bar's period: the articles dated in it and those
    /// reporting its events.
    fn filter_to_period(&mut self) {
        let t = &self.timeline;
        let Some(bar) = t.chart.bars.get(t.selected) else { return };
        let Some((first, last)) = timeline::label_days(&bar.label) else { return };
        let label = bar.label.clone();
        let mut matches: Vec<u32> = match &t.scope {
            TimelineScope::Entity(e) => {
                timeline::for_entity(&self.corpus, *e, &[]).0.into_iter().map(|a| a as u32).collect()
            }
            _ => self.rows.clone(),
        };
        let in_period = |day: Option<i64>| day.is_some_and(|d| first <= d && d <= last);
        let sources: std::collections::HashSet<u32> =
            t.events.iter().filter(|e| in_period(e.day())).flat_map(|e| e.sources.iter().map(|s| s.article)).collect();
        matches.retain(|&a| {
            sources.contains(&a)
                || in_period(self.corpus.articles[a as usize].date.as_deref().and_then(events::iso_day))
        });
        matches.sort_unstable();
        let n = matches.len();
        self.timeline.open = false;
        self.push_filter(Filter::Period { label: label.clone(), matches });
        self.focus = Pane::List;
        self.relayout();
        self.message = Some(format!("{label}: {n} article{}", if n == 1 { "" } else { "s" }));
    }

    /// Opens the selected event's first source in the reader, its sentence at the top.
    fn jump_to_event(&mut self) {
        let Some(source) =
            self.timeline.events.get(self.timeline.event_selected).and_then(|e| e.sources.first().copied())
        else {
            return;
        };
        self.timeline.open = false;
        self.focus = Pane::Reader;
        self.relayout();
        self.open_then(source.article as usize, true, super::AfterOpen::Byte(source.start as usize));
        self.message = Some("the event's source sentence is at the top".into());
    }
}
