//! Signals the learner sends, as the controls show them: the ones sent in
//! words, and which processes can be sent one at the cursor. Pure.

use threadline_engine::{signal_name, Nanos, Pid, SignalSpec, SignalTarget, Trace};

use crate::timeline::format_time;

/// The signals offered in "Send … to …", in order: SIGTERM, SIGKILL, SIGINT.
pub const OFFERED: [i32; 3] = [15, 9, 2];

/// "1.500 s: SIGINT to the foreground process group".
pub fn describe_signal(s: &SignalSpec) -> String {
    let to = match s.target {
        SignalTarget::Group if s.signum == 2 => "Ctrl-C: SIGINT to the foreground process group".to_string(),
        SignalTarget::Group => format!("{} to the foreground process group", signal_name(s.signum)),
        SignalTarget::Main => format!("{} to the main process", signal_name(s.signum)),
        SignalTarget::Pid(pid) => format!("{} to pid {pid}", signal_name(s.signum)),
    };
    format!("{}: {to}", format_time(s.t_ns))
}

/// The processes alive at `t_ns`: (pid, name).
pub fn live_processes(trace: &Trace, t_ns: Nanos) -> Vec<(Pid, String)> {
    trace
        .processes
        .iter()
        .filter(|p| p.start_ns <= t_ns && p.exit_ns.is_none_or(|e| e > t_ns))
        .map(|p| (p.pid, p.name.clone()))
        .collect()
}

/// The process a signal goes to: the one picked while it lives, else the
/// first live one.
pub fn target(picked: Option<Pid>, live: &[(Pid, String)]) -> Option<Pid> {
    picked
        .filter(|p| live.iter().any(|(l, _)| l == p))
        .or(live.first().map(|(p, _)| *p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_sent_are_said_with_their_time_and_target() {
        let spec = |signum, target| SignalSpec {
            t_ns: 1_500_000_000,
            signum,
            target,
        };
        assert_eq!(
            describe_signal(&spec(2, SignalTarget::Group)),
            "1.5 s: Ctrl-C: SIGINT to the foreground process group"
        );
        assert_eq!(
            describe_signal(&spec(15, SignalTarget::Group)),
            "1.5 s: SIGTERM to the foreground process group"
        );
        assert_eq!(
            describe_signal(&spec(9, SignalTarget::Main)),
            "1.5 s: SIGKILL to the main process"
        );
        assert_eq!(
            describe_signal(&spec(15, SignalTarget::Pid(1001))),
            "1.5 s: SIGTERM to pid 1001"
        );
        let names: Vec<String> = OFFERED.iter().map(|n| signal_name(*n).to_string()).collect();
        assert_eq!(names, ["SIGTERM", "SIGKILL", "SIGINT"]);
    }

    #[test]
    fn only_live_processes_can_be_signalled() {
        let trace = crate::testing::scenario_trace("mp-join-multiple", |_| {});
        let main = &trace.processes[0];
        let child = &trace.processes[1];
        assert_eq!(live_processes(&trace, 0), vec![(main.pid, main.name.clone())]);
        let both = live_processes(&trace, child.start_ns);
        assert!(both.iter().any(|(p, _)| *p == child.pid), "{both:?}");
        let exit = child.exit_ns.unwrap();
        assert!(live_processes(&trace, exit).iter().all(|(p, _)| *p != child.pid));
        assert!(live_processes(&trace, u64::MAX).is_empty());
        assert_eq!(target(Some(child.pid), &both), Some(child.pid));
        assert_eq!(
            target(Some(4242), &both),
            Some(main.pid),
            "a gone process: the first live one"
        );
        assert_eq!(target(None, &both), Some(main.pid));
        assert_eq!(target(Some(main.pid), &[]), None);
    }
}
