//! The simulated terminal: the prompt line, then what the script printed up
//! to the cursor (stderr in its own colour), `^C` where Ctrl-C was pressed,
//! "(still running…)" while the main process lives, and the shell's prompt
//! again once it has exited. Follows the newest line as the cursor moves.

use std::rc::Rc;

use threadline_engine::Stream;
use yew::prelude::*;

use crate::snapshot::Frame;
use crate::state::RunResult;
use crate::transcript::{echo_text, rows_at, still_running, Row};

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub run: Rc<RunResult>,
    /// What is true at the cursor: only what was written by then is shown.
    pub frame: Rc<Frame>,
}

/// The command line the terminal shows first.
pub fn prompt(script_name: &str) -> String {
    format!("$ python3 {script_name}")
}

#[component(Terminal)]
pub fn terminal(props: &TerminalProps) -> Html {
    let trace = &props.run.trace;
    let rows = rows_at(&props.frame);
    let still_running = still_running(trace, props.frame.t_ns);

    // Keep the newest line in view when rows come or go.
    let screen = use_node_ref();
    {
        let screen = screen.clone();
        use_effect_with((rows.len(), props.run.serial, still_running), move |_| {
            if let Some(element) = screen.cast::<web_sys::Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }

    let echo = |n: usize| {
        (n > 0).then(|| html! { <span class="terminal-echo" data-testid="terminal-echo">{ echo_text(n) }</span> })
    };
    html! {
        <section id="terminal" class="terminal" data-testid="terminal" aria-label="Terminal">
            <h2 class="visually-hidden">{ "Terminal" }</h2>
            <div class="terminal-screen" role="log" ref={screen}>
                <div class="terminal-line prompt" data-testid="terminal-prompt">
                    { prompt(&props.run.options.script_name) }
                </div>
                { for rows.iter().map(|row| match *row {
                    Row::Output { index, echoes } => {
                        let line = &trace.output[index];
                        let stream = match line.stream {
                            Stream::Stdout => "stdout",
                            Stream::Stderr => "stderr",
                        };
                        html! {
                            <div class="terminal-row">
                                { for echo(echoes) }
                                <span
                                    class={classes!("terminal-line", stream)}
                                    data-testid="terminal-line"
                                    data-stream={stream}
                                    data-pid={line.pid.to_string()}
                                >
                                    { &line.text }
                                </span>
                            </div>
                        }
                    }
                    Row::Echo { echoes } => html! {
                        <div class="terminal-row">{ for echo(echoes) }</div>
                    },
                    Row::Prompt => html! {
                        <div class="terminal-row terminal-line prompt" data-testid="terminal-end-prompt">
                            { "$ " }<span class="terminal-caret" aria-hidden="true"></span>
                        </div>
                    },
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
