//! The legend: everything the timeline can draw, in order and in groups.

use super::{MarkerKind, ProcClass, StateClass, WaitKind};

/// One entry of the legend.
#[derive(Clone, Debug, PartialEq)]
pub enum LegendItem {
    State(StateClass),
    Wait(WaitKind),
    Busy,
    Process(ProcClass),
    Marker(MarkerKind),
    Cursor,
}

impl LegendItem {
    pub fn label(&self) -> String {
        match self {
            LegendItem::State(c) => c.label().to_string(),
            LegendItem::Wait(w) => w.label().to_string(),
            LegendItem::Busy => "busy: many short states, coloured by the longest (zoom in)".to_string(),
            LegendItem::Process(p) => p.label().to_string(),
            LegendItem::Marker(m) => m.label().to_string(),
            LegendItem::Cursor => "the time cursor (drag it, or click the plot)".to_string(),
        }
    }
}

/// Everything the timeline can draw, in legend order.
pub fn legend_items() -> Vec<LegendItem> {
    let mut items: Vec<LegendItem> = StateClass::ALL.iter().map(|c| LegendItem::State(*c)).collect();
    let blocked = items
        .iter()
        .position(|i| *i == LegendItem::State(StateClass::Blocked))
        .unwrap_or(0);
    for (k, wait) in WaitKind::ALL.iter().enumerate() {
        items.insert(blocked + 1 + k, LegendItem::Wait(*wait));
    }
    items.push(LegendItem::Busy);
    items.extend(ProcClass::ALL.iter().map(|p| LegendItem::Process(*p)));
    items.extend(MarkerKind::ALL.iter().map(|m| LegendItem::Marker(*m)));
    items.push(LegendItem::Cursor);
    items
}

/// The legend in its three groups, each with its title: the threads'
/// states and waits, the processes' lifetimes, and the moments (markers and
/// the cursor).
pub fn legend_groups() -> [(&'static str, Vec<LegendItem>); 3] {
    let items = legend_items();
    let of = |keep: fn(&LegendItem) -> bool| items.iter().filter(|i| keep(i)).cloned().collect::<Vec<_>>();
    [
        (
            "Threads",
            of(|i| matches!(i, LegendItem::State(_) | LegendItem::Wait(_) | LegendItem::Busy)),
        ),
        ("Processes", of(|i| matches!(i, LegendItem::Process(_)))),
        (
            "Moments",
            of(|i| matches!(i, LegendItem::Marker(_) | LegendItem::Cursor)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::SVG_STYLE;

    #[test]
    fn the_legend_lists_everything_drawn() {
        let items = legend_items();
        for class in StateClass::ALL {
            assert!(items.contains(&LegendItem::State(class)));
        }
        for wait in WaitKind::ALL {
            assert!(items.contains(&LegendItem::Wait(wait)));
            assert!(SVG_STYLE.contains(&format!(
                ".bar.{} {{ fill: url(#{});",
                wait.css_class(),
                wait.pattern_id()
            )));
        }
        for kind in MarkerKind::ALL {
            assert!(items.contains(&LegendItem::Marker(kind)));
            assert!(SVG_STYLE.contains(&format!(".marker-{} path", kind.name())), "{kind:?}");
        }
        for class in ProcClass::ALL {
            assert!(items.contains(&LegendItem::Process(class)));
            assert!(SVG_STYLE.contains(&format!(".{} {{", class.css_class())));
        }
    }

    #[test]
    fn the_legend_groups_hold_every_item_once_in_order() {
        let groups = legend_groups();
        let titles: Vec<&str> = groups.iter().map(|(t, _)| *t).collect();
        assert_eq!(titles, ["Threads", "Processes", "Moments"]);
        let flat: Vec<LegendItem> = groups.into_iter().flat_map(|(_, items)| items).collect();
        assert_eq!(flat, legend_items());
    }
}
