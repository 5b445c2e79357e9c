//! The markers: what happened at one moment (output, starts, joins,
//! signals, exits, choice points), at most one per kind, row and few pixels.

use threadline_engine::phrases::{exited_with, killed_by};
use threadline_engine::{EventKind, Nanos, Pid, Stream, ThreadId, Trace};

use super::{at_line, format_time, shorten, signal_name, Arrow, Lane, Layout, ProcessRow, Scale};

/// Something that happened at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkerKind {
    /// A line written to stdout.
    Output,
    /// A line written to stderr.
    ErrorOutput,
    /// `start()` of a thread (an arrow from the starter).
    Start,
    /// `join()` returned (an arrow from the joined thread).
    Join,
    /// A process was started (an arrow from its parent).
    ProcessStart,
    /// A signal arrived (an arrow from its sender, if a process sent it).
    Signal,
    /// A process ended by itself.
    Exit,
    /// A process was ended by a signal.
    Kill,
    /// An exception escaped a thread.
    Uncaught,
    /// A process lost its parent and was re-parented to init.
    Reparent,
    /// A scheduling decision (recorded when a schedule is replayed).
    Choice,
    /// A scheduling decision where this run took another option than the
    /// default run (an outcome shown from the explorer, a "What if").
    OtherChoice,
}

impl MarkerKind {
    pub const ALL: [MarkerKind; 12] = [
        MarkerKind::Output,
        MarkerKind::ErrorOutput,
        MarkerKind::Start,
        MarkerKind::Join,
        MarkerKind::ProcessStart,
        MarkerKind::Signal,
        MarkerKind::Exit,
        MarkerKind::Kill,
        MarkerKind::Uncaught,
        MarkerKind::Reparent,
        MarkerKind::Choice,
        MarkerKind::OtherChoice,
    ];

    /// The `data-kind` and the CSS class suffix (`marker-output`).
    pub fn name(self) -> &'static str {
        match self {
            MarkerKind::Output => "output",
            MarkerKind::ErrorOutput => "stderr",
            MarkerKind::Start => "start",
            MarkerKind::Join => "join",
            MarkerKind::ProcessStart => "process-start",
            MarkerKind::Signal => "signal",
            MarkerKind::Exit => "exit",
            MarkerKind::Kill => "kill",
            MarkerKind::Uncaught => "uncaught",
            MarkerKind::Reparent => "reparent",
            MarkerKind::Choice => "choice",
            MarkerKind::OtherChoice => "other-choice",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::Output => "a line of output",
            MarkerKind::ErrorOutput => "a line on stderr",
            MarkerKind::Start => "start() of a thread",
            MarkerKind::Join => "join() returned",
            MarkerKind::ProcessStart => "a process started",
            MarkerKind::Signal => "a signal arrived",
            MarkerKind::Exit => "a process exited",
            MarkerKind::Kill => "a process killed by a signal",
            MarkerKind::Uncaught => "an uncaught exception",
            MarkerKind::Reparent => "an orphan re-parented to init",
            MarkerKind::Choice => "a scheduling choice point",
            MarkerKind::OtherChoice => "a choice point where this run differs from the default one",
        }
    }

    /// The marker's outline, centred on (0, 0), a few units across.
    pub fn shape(self) -> &'static str {
        match self {
            // A small tick for a line written.
            MarkerKind::Output | MarkerKind::ErrorOutput => "M0,-6 L0,6 M-2,-6 L2,-6",
            // A triangle pointing right.
            MarkerKind::Start | MarkerKind::ProcessStart => "M-4,-5 L5,0 L-4,5 Z",
            // A diamond.
            MarkerKind::Join => "M0,-5 L5,0 L0,5 L-5,0 Z",
            // A lightning bolt.
            MarkerKind::Signal => "M1,-7 L-4,1 L0,1 L-1,7 L4,-1 L0,-1 Z",
            // A bar across the row.
            MarkerKind::Exit => "M-1.5,-6 L1.5,-6 L1.5,6 L-1.5,6 Z",
            // A cross.
            MarkerKind::Kill | MarkerKind::Uncaught => "M-4,-4 L4,4 M4,-4 L-4,4",
            // A hook.
            MarkerKind::Reparent => "M-4,-4 L-4,3 L4,3 M1,0 L4,3 L1,6",
            // A small square; filled where the run took another option.
            MarkerKind::Choice | MarkerKind::OtherChoice => "M-3,-3 L3,-3 L3,3 L-3,3 Z",
        }
    }
}

/// A marker: where and what, with the arrow from the row it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub kind: MarkerKind,
    pub t_ns: Nanos,
    pub x: f64,
    /// The middle of its row.
    pub y: f64,
    pub arrow: Option<Arrow>,
    /// How many events it stands for (close ones are drawn as one).
    pub count: usize,
    pub title: String,
}

impl Marker {
    /// `"tl-item marker marker-output"`.
    pub fn css_classes(&self) -> String {
        format!("tl-item marker marker-{}", self.kind.name())
    }
}

/// Every marker of the trace inside the view, at most one per kind, row and
/// [`Layout::marker_bucket`] pixels.
pub(crate) fn markers(
    trace: &Trace,
    lanes: &[Lane],
    processes: &[ProcessRow],
    sizes: &Layout,
    scale: &Scale,
) -> Vec<Marker> {
    let rows = RowsAt {
        trace,
        lanes,
        processes,
    };
    let mut markers = Markers {
        scale,
        bucket: sizes.marker_bucket,
        out: Vec::new(),
        recent: Vec::new(),
    };
    for event in &trace.events {
        if !scale.shows(event.t_ns) {
            continue;
        }
        let x = scale.x(event.t_ns);
        if let Some(found) = event_marker(&rows, &event.kind, event.t_ns, x) {
            markers.push(found, event.t_ns);
        }
    }
    // Choice points, on the lane of the thread the decision favoured.
    for (i, choice) in trace.choices.iter().enumerate() {
        if !scale.shows(choice.t_ns) {
            continue;
        }
        let Some(thread) = choice.options.get(choice.chosen as usize).or(choice.options.first()) else {
            continue;
        };
        let Some(y) = rows.lane_y(*thread) else {
            continue;
        };
        let title = format!(
            "choice point {}: {} (try another option under Outcomes, Choice points)",
            i + 1,
            crate::choices::describe(trace, choice)
        );
        let kind = if choice.chosen == 0 {
            MarkerKind::Choice
        } else {
            MarkerKind::OtherChoice
        };
        markers.push(Found::on(kind, y, title), choice.t_ns);
    }
    markers.out
}

/// A marker to draw: its kind, the middle of its row, the arrow to it, its words.
struct Found {
    kind: MarkerKind,
    y: f64,
    arrow: Option<Arrow>,
    title: String,
}

impl Found {
    fn on(kind: MarkerKind, y: f64, title: String) -> Found {
        Found {
            kind,
            y,
            arrow: None,
            title,
        }
    }
}

/// The markers so far, with the recent ones by (kind, row, bucket) so that
/// close ones are counted into one.
struct Markers<'a> {
    scale: &'a Scale,
    bucket: f64,
    out: Vec<Marker>,
    /// (kind, row y, bucket) → index in `out`, for the last few buckets only.
    recent: Vec<((MarkerKind, i64, i64), usize)>,
}

impl Markers<'_> {
    fn push(&mut self, found: Found, t_ns: Nanos) {
        let mx = self.scale.x(t_ns);
        let bucket = ((mx - self.scale.left) / self.bucket).floor() as i64;
        let key = (found.kind, (found.y * 2.0).round() as i64, bucket);
        if let Some((_, index)) = self.recent.iter().find(|(k, _)| *k == key) {
            let m: &mut Marker = &mut self.out[*index];
            m.count += 1;
            if m.count == 2 {
                m.title = format!(
                    "{}\n(and more at {}; zoom in to see them apart)",
                    m.title,
                    format_time(t_ns)
                );
            }
            return;
        }
        self.recent.retain(|((_, _, b), _)| *b >= bucket - 1);
        self.recent.push((key, self.out.len()));
        self.out.push(Marker {
            kind: found.kind,
            t_ns,
            x: mx,
            y: found.y,
            arrow: found.arrow,
            count: 1,
            title: found.title,
        });
    }
}

/// The rows markers sit on, and names.
struct RowsAt<'a> {
    trace: &'a Trace,
    lanes: &'a [Lane],
    processes: &'a [ProcessRow],
}

impl RowsAt<'_> {
    /// The middle of a thread's lane.
    fn lane_y(&self, thread: ThreadId) -> Option<f64> {
        self.lanes.iter().find(|l| l.thread == thread).map(Lane::mid_y)
    }

    /// The middle of a process's header row.
    fn proc_y(&self, pid: Pid) -> Option<f64> {
        self.processes.iter().find(|p| p.pid == pid).map(ProcessRow::mid_y)
    }

    fn thread_name(&self, t: ThreadId) -> String {
        self.trace
            .threads
            .get(t.0 as usize)
            .map_or_else(|| format!("thread #{}", t.0), |i| i.name.clone())
    }
}

/// The marker of an event at `t` (at `x`), if it has one and its rows are drawn.
fn event_marker(rows: &RowsAt, kind: &EventKind, t: Nanos, x: f64) -> Option<Found> {
    let at = format_time(t);
    match kind {
        EventKind::Output { index } => output_marker(rows, *index, &at),
        EventKind::Start { by, thread, line } => {
            let (y, from) = (rows.lane_y(*thread)?, rows.lane_y(*by)?);
            Some(Found {
                kind: MarkerKind::Start,
                y,
                arrow: Some(Arrow::between(x, from, y)),
                title: format!(
                    "{} started {} at {at}{}",
                    rows.thread_name(*by),
                    rows.thread_name(*thread),
                    at_line(*line)
                ),
            })
        }
        EventKind::Join {
            waiter,
            target,
            line,
            timed_out,
        } => {
            let (y, from) = (rows.lane_y(*waiter)?, rows.lane_y(*target)?);
            let how = if *timed_out {
                "timed out (the thread still runs)"
            } else {
                "returned (the thread has ended)"
            };
            Some(Found {
                kind: MarkerKind::Join,
                y,
                arrow: Some(Arrow::between(x, from, y)),
                title: format!(
                    "{}'s join() of {} {how} at {at}{}",
                    rows.thread_name(*waiter),
                    rows.thread_name(*target),
                    at_line(*line)
                ),
            })
        }
        EventKind::Uncaught {
            thread,
            exception,
            line,
        } => Some(Found::on(
            MarkerKind::Uncaught,
            rows.lane_y(*thread)?,
            format!(
                "uncaught {exception} in {} at {at}{}",
                rows.thread_name(*thread),
                at_line(*line)
            ),
        )),
        _ => process_marker(rows, kind, x, &at),
    }
}

/// A line written, on the writing thread's lane.
fn output_marker(rows: &RowsAt, index: usize, at: &str) -> Option<Found> {
    let line = rows.trace.output.get(index)?;
    let y = rows.lane_y(line.thread)?;
    let (kind, stream) = match line.stream {
        Stream::Stdout => (MarkerKind::Output, "printed"),
        Stream::Stderr => (MarkerKind::ErrorOutput, "wrote to stderr"),
    };
    let text = shorten(&line.text, 120);
    let title = format!("{} {stream} at {at}: {text}", rows.thread_name(line.thread));
    Some(Found::on(kind, y, title))
}

/// The marker of a process's event (start, signal, exit, re-parenting), on its header row.
fn process_marker(rows: &RowsAt, kind: &EventKind, x: f64, at: &str) -> Option<Found> {
    match kind {
        EventKind::ProcessStart {
            parent,
            pid,
            method,
            line,
        } => {
            let y = rows.proc_y(*pid)?;
            Some(Found {
                kind: MarkerKind::ProcessStart,
                y,
                arrow: rows.proc_y(*parent).map(|from| Arrow::between(x, from, y)),
                title: format!("pid {parent} started pid {pid} ({method}) at {at}{}", at_line(*line)),
            })
        }
        EventKind::Signal {
            from,
            to,
            signum,
            action,
        } => {
            let y = rows.proc_y(*to)?;
            let sender = match from {
                Some(p) => format!("pid {p}"),
                None => "the terminal".to_string(),
            };
            Some(Found {
                kind: MarkerKind::Signal,
                y,
                arrow: from
                    .filter(|f| f != to)
                    .and_then(|f| rows.proc_y(f))
                    .map(|from| Arrow::between(x, from, y)),
                title: format!("{} from {sender} to pid {to} at {at}: {action}", signal_name(*signum)),
            })
        }
        EventKind::Exit { pid, code } => {
            let y = rows.proc_y(*pid)?;
            Some(if *code < 0 {
                let how = format!("pid {pid} {} at {at} (exit code {code})", killed_by(-code));
                Found::on(MarkerKind::Kill, y, how)
            } else {
                Found::on(MarkerKind::Exit, y, format!("pid {pid} {}", exited_with(*code, at)))
            })
        }
        EventKind::Reparent { pid, ppid } => Some(Found::on(
            MarkerKind::Reparent,
            rows.proc_y(*pid)?,
            format!("pid {pid} lost its parent at {at} and was re-parented to pid {ppid}"),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testkit::{run_twice, two_threads};
    use crate::timeline::{layout, Lane, Layout};
    use threadline_engine::{Event, OutputLine};

    #[test]
    fn choice_points_of_a_replayed_schedule_are_marked() {
        let source = "import threading\n\ndef say(w):\n    for i in range(3):\n        print(w, i)\n\n\
                      a = threading.Thread(target=say, args=('a',))\nb = threading.Thread(target=say, args=('b',))\n\
                      a.start()\nb.start()\na.join()\nb.join()\n";
        let plain = run_twice(source);
        let options = threadline_engine::RunOptions {
            schedule: Some(threadline_engine::Schedule::default()),
            ..threadline_engine::RunOptions::default()
        };
        let replayed = threadline_engine::run(source, &options);
        assert_eq!(replayed, threadline_engine::run(source, &options));
        assert!(
            replayed.choices.len() > plain.choices.len(),
            "replaying records every choice point"
        );
        let g = layout(&replayed, &Layout::for_width(1920.0));
        let marked: usize = g
            .markers
            .iter()
            .filter(|m| m.kind == MarkerKind::Choice)
            .map(|m| m.count)
            .sum();
        assert_eq!(
            marked,
            replayed.choices.len(),
            "one per choice point (close ones counted together)"
        );
        let first = g.markers.iter().find(|m| m.kind == MarkerKind::Choice).unwrap();
        assert!(first.title.starts_with("choice point 1: "), "{}", first.title);
        assert!(
            g.markers.iter().all(|m| m.kind != MarkerKind::OtherChoice),
            "all default"
        );

        // Another option at one choice point: that one is marked apart.
        let (index, option) = replayed
            .choices
            .iter()
            .enumerate()
            .find_map(|(i, c)| (c.options.len() > 1).then_some((i, 1)))
            .expect("a choice with two options");
        let schedule = crate::choices::flip(&replayed, index, option).expect("a schedule");
        let options = threadline_engine::RunOptions {
            schedule: Some(threadline_engine::Schedule::decode(&schedule).unwrap()),
            ..threadline_engine::RunOptions::default()
        };
        let flipped = threadline_engine::run(source, &options);
        let others = flipped.choices.iter().filter(|c| c.chosen != 0).count();
        assert!(others >= 1);
        let g = layout(&flipped, &Layout::for_width(1920.0));
        let marked: usize = g
            .markers
            .iter()
            .filter(|m| m.kind == MarkerKind::OtherChoice)
            .map(|m| m.count)
            .sum();
        assert_eq!(marked, others, "each choice that took another option");
    }

    #[test]
    fn markers_for_output_start_join_signal_and_exceptions() {
        let source = "import threading, signal, os, time\n\
def handler(signum, frame):\n    print('got', signum)\n\
signal.signal(signal.SIGUSR1, handler)\n\
def work():\n    print('hello from the worker')\n    raise ValueError('boom')\n\
t = threading.Thread(target=work)\n\
t.start()\n\
t.join()\n\
os.kill(os.getpid(), signal.SIGUSR1)\n\
time.sleep(0.01)\n\
print('done')\n";
        let t = run_twice(source);
        let g = layout(&t, &Layout::default());
        let count = |kind: MarkerKind| g.markers.iter().filter(|m| m.kind == kind).count();
        let stdout = t.output.iter().filter(|l| l.stream == Stream::Stdout).count();
        let stderr = t.output.iter().filter(|l| l.stream == Stream::Stderr).count();
        assert_eq!(stdout, 3, "{:?}", t.output);
        assert!(stderr > 0, "the traceback");
        // Output lines of one instant are drawn as one marker with a count.
        let drawn = |kind: MarkerKind| {
            g.markers
                .iter()
                .filter(|m| m.kind == kind)
                .map(|m| m.count)
                .sum::<usize>()
        };
        assert_eq!(drawn(MarkerKind::Output), stdout);
        assert_eq!(drawn(MarkerKind::ErrorOutput), stderr);
        assert_eq!(count(MarkerKind::Start), 1);
        assert_eq!(count(MarkerKind::Join), 1);
        assert_eq!(count(MarkerKind::Signal), 1);
        assert_eq!(count(MarkerKind::Uncaught), 1);
        assert_eq!(count(MarkerKind::Exit), 1);

        let worker = g
            .lanes
            .iter()
            .find(|l| !t.threads[l.thread.0 as usize].is_main)
            .unwrap();
        let main = g.lanes.iter().find(|l| t.threads[l.thread.0 as usize].is_main).unwrap();
        let mid = |l: &Lane| l.y + l.height / 2.0;
        let hello = g
            .markers
            .iter()
            .find(|m| m.title.contains("hello from the worker"))
            .expect("the worker's line");
        assert_eq!(hello.y, mid(worker), "on the writing thread's lane");
        let line = t.output.iter().find(|l| l.text == "hello from the worker").unwrap();
        assert_eq!(hello.x, g.x_of(line.t_ns));
        let start = g.markers.iter().find(|m| m.kind == MarkerKind::Start).unwrap();
        let arrow = start.arrow.as_ref().unwrap();
        assert_eq!(
            (arrow.y1, arrow.y2),
            (mid(main), mid(worker)),
            "from the starter to the new thread"
        );
        assert!(start.title.contains("started Thread-1 (work)"), "{}", start.title);
        let join = g.markers.iter().find(|m| m.kind == MarkerKind::Join).unwrap();
        let arrow = join.arrow.as_ref().unwrap();
        assert_eq!(
            (arrow.y1, arrow.y2),
            (mid(worker), mid(main)),
            "from the target to the waiter"
        );
        let signal = g.markers.iter().find(|m| m.kind == MarkerKind::Signal).unwrap();
        assert!(
            signal.title.contains("SIGUSR1") && signal.title.contains("handler"),
            "{}",
            signal.title
        );
        assert_eq!(signal.css_classes(), "tl-item marker marker-signal");
        let uncaught = g.markers.iter().find(|m| m.kind == MarkerKind::Uncaught).unwrap();
        assert!(uncaught.title.contains("ValueError"), "{}", uncaught.title);
        assert_eq!(uncaught.y, mid(worker));
    }

    #[test]
    fn output_lines_of_unknown_threads_are_skipped() {
        let mut t = two_threads();
        t.output.push(OutputLine {
            t_ns: 10,
            stream: Stream::Stdout,
            pid: 100,
            thread: ThreadId(9),
            text: "x".into(),
        });
        t.events.insert(
            1,
            Event {
                t_ns: 10,
                kind: EventKind::Output { index: 0 },
            },
        );
        let g = layout(&t, &Layout::default());
        assert!(g.markers.iter().all(|m| m.kind != MarkerKind::Output));
    }
}
