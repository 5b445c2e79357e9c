//! The colour of each thread, the same wherever a thread is named: its
//! markers in the code pane, its lane label in the timeline. Pure.
//!
//! A thread's colour is one of [`THREAD_COLOURS`], drawn by the CSS class
//! [`thread_colour_class`] (`thread-colour-0` .. `thread-colour-7`, in
//! `static/code.css`): the class sets `color` and the custom property
//! `--thread-colour` to the theme's `--thread-N` variable (`static/style.css`).

use threadline_engine::{ThreadId, Trace};

/// How many distinct thread colours there are.
pub const THREAD_COLOURS: usize = 8;

/// The colour index (0..[`THREAD_COLOURS`]) of `thread` in `trace`: threads
/// are coloured in the order the trace lists them (every process's threads
/// together, in creation order), so the main thread is always colour 0 and
/// threads created one after another get different colours. An unknown id
/// gets a colour too (its number modulo the palette).
pub fn thread_colour_index(trace: &Trace, thread: ThreadId) -> usize {
    let position = trace
        .threads
        .iter()
        .position(|t| t.id == thread)
        .unwrap_or(thread.0 as usize);
    position % THREAD_COLOURS
}

/// The CSS class of a colour index: `thread-colour-3`.
pub fn thread_colour_class(index: usize) -> String {
    format!("thread-colour-{}", index % THREAD_COLOURS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{run, RunOptions};

    const SCRIPT: &str = "import threading\n\
        def work():\n\
        \x20   pass\n\
        ts = [threading.Thread(target=work) for _ in range(9)]\n\
        for t in ts:\n\
        \x20   t.start()\n";

    #[test]
    fn threads_get_colours_in_trace_order_and_the_palette_wraps() {
        let trace = run(SCRIPT, &RunOptions::default());
        assert_eq!(trace, run(SCRIPT, &RunOptions::default()), "deterministic");
        assert_eq!(trace.threads.len(), 10);
        let colours: Vec<usize> = trace
            .threads
            .iter()
            .map(|t| thread_colour_index(&trace, t.id))
            .collect();
        assert_eq!(colours, vec![0, 1, 2, 3, 4, 5, 6, 7, 0, 1]);
        assert!(trace.threads[0].is_main);
        assert_eq!(thread_colour_index(&trace, ThreadId(1003)), 1003 % 8);
        assert_eq!(thread_colour_class(3), "thread-colour-3");
        assert_eq!(thread_colour_class(11), "thread-colour-3");
    }
}
