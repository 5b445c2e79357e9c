//! The simulated terminal: the prompt line, then what the script printed,
//! stderr in its own colour.

use std::rc::Rc;

use threadline_engine::Stream;
use yew::prelude::*;

use crate::snapshot::output_count_at;
use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub run: Rc<RunResult>,
    /// Only what was written at or before this time is shown.
    pub cursor_ns: u64,
}

/// The command line the terminal shows first.
pub fn prompt(script_name: &str) -> String {
    format!("$ python3 {script_name}")
}

#[component(Terminal)]
pub fn terminal(props: &TerminalProps) -> Html {
    let trace = &props.run.trace;
    let shown = output_count_at(trace, props.cursor_ns);
    let main_exit = trace.processes.first().and_then(|p| p.exit_ns);
    let still_running = match main_exit {
        Some(t) => props.cursor_ns < t,
        None => trace.outcome.still_running,
    };
    html! {
        <section id="terminal" class="terminal" data-testid="terminal" aria-label="Terminal">
            <h2 class="visually-hidden">{ "Terminal" }</h2>
            <div class="terminal-screen" role="log">
                <div class="terminal-line prompt" data-testid="terminal-prompt">
                    { prompt(&props.run.options.script_name) }
                </div>
                { for trace.output[..shown].iter().map(|line| {
                    let stream = match line.stream {
                        Stream::Stdout => "stdout",
                        Stream::Stderr => "stderr",
                    };
                    html! {
                        <div class={classes!("terminal-line", stream)} data-testid="terminal-line" data-stream={stream}>
                            { &line.text }
                        </div>
                    }
                }) }
                if still_running {
                    <div class="terminal-line still-running" data-testid="terminal-still-running">
                        { "(still running…)" }
                    </div>
                }
            </div>
        </section>
    }
}
