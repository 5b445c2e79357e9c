//! Two versions side by side: which output lines one run has and the other
//! lacks (a longest-common-subsequence diff of the lines, as `diff` shows
//! them), and how the two runs ended. Pure (no web types).

use threadline_engine::{version_free, PyVersion, Stream, Trace};

use crate::timeline::format_time;

/// One run's output, each line marked when the other run lacks it.
pub fn marked_lines(ours: &Trace, theirs: &Trace) -> Vec<(String, Stream, bool)> {
    let a = texts(ours);
    let b = texts(theirs);
    let common = common_lines(&a, &b);
    ours.output
        .iter()
        .zip(common)
        .map(|(l, shared)| (l.text.clone(), l.stream, !shared))
        .collect()
}

/// Output lines, library paths aside.
fn texts(t: &Trace) -> Vec<String> {
    t.output.iter().map(|l| version_free(&l.text)).collect()
}

/// For each line of `a`, whether it belongs to a longest common subsequence with `b`.
fn common_lines(a: &[String], b: &[String]) -> Vec<bool> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut shared = vec![false; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            shared[i] = true;
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    shared
}

/// How a run ended, in a few words: `exit code 0 at 1.2 s`.
pub fn ending(t: &Trace) -> String {
    match (t.outcome.exit_code, t.outcome.exit_ns) {
        (Some(code), Some(at)) => format!("exit code {code} at {}", format_time(at)),
        (Some(code), None) => format!("exit code {code}"),
        _ => "still running at the end".to_string(),
    }
}

/// What differs between two runs of one script, one sentence each; empty
/// when they are alike.
pub fn differences(a: &Trace, b: &Trace) -> Vec<String> {
    let (va, vb) = (a.python.label(), b.python.label());
    let mut out = Vec::new();
    let only_a = marked_lines(a, b).iter().filter(|l| l.2).count();
    let only_b = marked_lines(b, a).iter().filter(|l| l.2).count();
    if only_a + only_b > 0 {
        out.push(format!(
            "Output: {only_a} line(s) only on {va}, {only_b} only on {vb} (highlighted)."
        ));
    }
    if (a.outcome.exit_code, a.outcome.still_running) != (b.outcome.exit_code, b.outcome.still_running) {
        out.push(format!("Ending: {} on {va}, {} on {vb}.", ending(a), ending(b)));
    }
    if a.processes.len() != b.processes.len() {
        out.push(format!(
            "Processes: {} on {va}, {} on {vb}.",
            a.processes.len(),
            b.processes.len()
        ));
    }
    out
}

/// The version to compare a run with: the newest other version that does
/// not behave alike (`alike` from the run), if any.
pub fn other_version(current: PyVersion, alike: &[PyVersion]) -> Option<PyVersion> {
    PyVersion::ALL
        .into_iter()
        .rev()
        .filter(|v| *v != current && !alike.contains(v))
        .min_by_key(|v| (v.minor() as i64 - current.minor() as i64).abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run_twice;
    use threadline_engine::RunOptions;

    const SCRIPT: &str = "import multiprocessing as mp\n\
        def child():\n\
        \x20   print('child')\n\
        if __name__ == '__main__':\n\
        \x20   print(mp.get_start_method())\n\
        \x20   p = mp.Process(target=child)\n\
        \x20   p.start()\n\
        \x20   p.join()\n\
        \x20   print('done')\n";

    fn as_version(python: PyVersion) -> Trace {
        run_twice(
            SCRIPT,
            &RunOptions {
                python,
                ..RunOptions::default()
            },
        )
    }

    #[test]
    fn lines_only_one_version_prints_are_marked() {
        let (a, b) = (as_version(PyVersion::V3_14), as_version(PyVersion::V3_13));
        let marked: Vec<(String, bool)> = marked_lines(&a, &b).into_iter().map(|(t, _, m)| (t, m)).collect();
        assert_eq!(
            marked,
            [
                ("forkserver".to_string(), true),
                ("child".to_string(), false),
                ("done".to_string(), false)
            ]
        );
        let d = differences(&a, &b);
        assert_eq!(d[0], "Output: 1 line(s) only on 3.14, 1 only on 3.13 (highlighted).");
        assert!(d.iter().any(|s| s == "Processes: 4 on 3.14, 2 on 3.13."), "{d:?}");
        assert!(differences(&a, &a).is_empty());
    }

    #[test]
    fn the_nearest_version_that_differs_is_offered() {
        let alike = [PyVersion::V3_14, PyVersion::V3_15];
        assert_eq!(other_version(PyVersion::V3_14, &alike), Some(PyVersion::V3_13));
        assert_eq!(other_version(PyVersion::V3_14, &PyVersion::ALL), None);
        assert_eq!(
            other_version(PyVersion::V3_12, &[PyVersion::V3_12]),
            Some(PyVersion::V3_13)
        );
    }
}
